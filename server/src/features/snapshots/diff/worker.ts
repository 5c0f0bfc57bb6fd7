import { parentPort } from 'node:worker_threads';
import { computeDiff } from './computeDiff';
import { stateToContent } from '../documentContent';
import { fingerprint } from '../fingerprint';
import { measureUpdate } from '../../../rooms/guards/updateCost';
import type { DocumentJob } from './DocumentWorker';

/** Runs document jobs off the main thread, one at a time, answering each by its id. */
parentPort?.on('message', ({ id, job }: { id: number; job: DocumentJob }) => {
  try {
    parentPort?.postMessage({ id, result: run(job) });
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
      return measureUpdate(job.update);
  }
}
