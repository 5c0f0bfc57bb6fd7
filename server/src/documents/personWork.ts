import type { DocumentJob, DocumentWorker, JobResults } from '../features/snapshots/diff/DocumentWorker';
import type { TextRead } from './textRead';
import type { ReadAllowance } from './readAllowance';

/**
 * Runs the document jobs a person's click waits on (a stance's read of the text, a snapshot's state and
 * fingerprint): in the worker at the server's own priority while the person's allowance lasts
 * (readAllowance.ts), beyond it in the background worker. Either way in that person's turn, unless `now`.
 */
export class PersonWork {
  constructor(
    private readonly workers: { quick: DocumentWorker; background: DocumentWorker },
    private readonly allowance: ReadAllowance,
  ) {}

  /**
   * `now`: posted at once rather than in the person's turn, for work others wait on too (a restore holds everyone's
   * words until the text before it is fingerprinted): it then waits behind the job running, not behind other people's turns.
   */
  async run<K extends DocumentJob['kind']>(job: Extract<DocumentJob, { kind: K }>, forPerson: string, { now = false } = {}): Promise<JobResults[K]> {
    const turn = now ? undefined : forPerson;
    if (!this.allowance.allows(forPerson)) return this.workers.background.run(job, [], turn);
    const started = performance.now();
    const result = await this.workers.quick.run(job, [], turn);
    // A text read says how long the worker took; other jobs are counted from asking to answer (a wait behind
    // another job included: the allowance then runs out sooner, never later).
    this.allowance.spend(forPerson, job.kind === 'text' ? (result as TextRead).workMs : performance.now() - started);
    return result;
  }
}
