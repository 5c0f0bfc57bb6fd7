import { setPriority } from 'node:os';
import { parentPort } from 'node:worker_threads';
import { computeDiff } from './computeDiff';
import { stateToContent } from '../documentContent';
import { fingerprint } from '../fingerprint';
import { measureUpdate } from '../../../rooms/guards/updateCost';
import type { DocumentJob } from './DocumentWorker';

// This thread's work is background work: on a machine short of cores, the event loop (every
// room's sync) should get the core first. On Linux the nice value is per thread, so this lowers
// only this worker; elsewhere it would lower the whole process, so it is left alone.
if (process.platform === 'linux') setPriority(19);

/** Runs document jobs off the main thread, one at a time, answering each by its id. */
parentPort?.on('message', ({ id, job }: { id: number; job: DocumentJob }) => {
  try {
    const result = run(job);
    // A cost job's bytes (their whole buffer, moved or copied here) go back with the answer, without a copy.
    const transfer = job.kind === 'cost' ? [job.update.buffer as ArrayBuffer] : [];
    parentPort?.postMessage({ id, result }, transfer);
  } catch (err) {
    parentPort?.postMessage({ id, error: (err as Error).message });
  }
});

function run(job: DocumentJob): unknown {
  switch (job.kind) {
    case 'diff':
      return JSON.stringify({ ...job.versions, ...computeDiff(job.from, job.to, job.authorship, job.objectiveId) });
    case 'content': {
      const content = stateToContent(job.state);
      return { content, hash: fingerprint(job.prevHash, content) };
    }
    case 'hash':
      return fingerprint(job.prevHash, stateToContent(job.state));
    case 'cost':
      return { cost: measureUpdate(job.update), update: job.update };
  }
}
