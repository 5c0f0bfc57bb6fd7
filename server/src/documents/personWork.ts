import type { DocumentJob, DocumentWorker, JobResults } from '../features/snapshots/diff/DocumentWorker';
import type { TextRead } from './textRead';
import type { ReadAllowance } from './readAllowance';

/**
 * Runs the document jobs a person's click waits on (a stance's read of the text, a snapshot's state and
 * fingerprint): in the worker at the server's own priority while the person's allowance lasts
 * (readAllowance.ts), beyond it in the background worker. Either way in that person's turn.
 */
export class PersonWork {
  constructor(
    private readonly workers: { quick: DocumentWorker; background: DocumentWorker },
    private readonly allowance: ReadAllowance,
  ) {}

  async run<K extends DocumentJob['kind']>(job: Extract<DocumentJob, { kind: K }>, forPerson: string): Promise<JobResults[K]> {
    if (!this.allowance.allows(forPerson)) return this.workers.background.run(job, [], forPerson);
    const started = performance.now();
    const result = await this.workers.quick.run(job, [], forPerson);
    // A text read says how long the worker took; other jobs are counted from asking to answer (a wait behind
    // another job included: the allowance then runs out sooner, never later).
    this.allowance.spend(forPerson, job.kind === 'text' ? (result as TextRead).workMs : performance.now() - started);
    return result;
  }
}
