import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { computeDiff } from './computeDiff';
import { stateToContent } from '../documentContent';
import { fingerprint } from '../fingerprint';
import { renderBody } from '../export/renderBody';
import { toRedlineDocx } from '../export/docx';
import { diffRedline } from '../export/diffRedline';
import { statedDeliveries } from '../export/lifeCycle';
import { measureForRoom, type MeasuredUpdate } from '../../../rooms/guards/unknownPart';
import { causalPieces } from '#shared/causalPieces';
import { readText, type TextRead } from '../../../documents/textRead';
import { movable, type DocumentJob, type DocumentWorkerData } from './DocumentWorker';

// Background work (comparisons, downloads): on a machine short of cores, the event loop (every
// room's sync) should get the core first. On Linux the nice value is per thread, so this lowers
// only this worker; elsewhere it would lower the whole process, so it is left alone.
if (process.platform === 'linux' && (workerData as DocumentWorkerData | undefined)?.background !== false) setPriority(19);

/** Runs document jobs off the main thread, answering each by its id. */
parentPort?.on('message', ({ id, job }: { id: number; job: DocumentJob }) => {
  run(job).then(
    (result) => parentPort?.postMessage({ id, result }, transferOf(job, result)),
    (err: unknown) => parentPort?.postMessage({ id, error: (err as Error).message }),
  );
});
// Loaded and listening: from now on each job's time limit counts its own work only.
parentPort?.postMessage({ ready: true });

/** What goes back without a copy: a cost job's bytes (their whole buffer, moved or copied here), a file's bytes. */
function transferOf(job: DocumentJob, result: unknown): ArrayBuffer[] {
  if (job.kind === 'cost') return [(result as MeasuredUpdate).update.buffer as ArrayBuffer];
  if (job.kind === 'pieces') return (result as Uint8Array[]).map((piece) => piece.buffer as ArrayBuffer);
  if (job.kind === 'text') {
    const { state } = result as TextRead;
    return state && movable(state) ? [state.buffer as ArrayBuffer] : [];
  }
  return result instanceof Uint8Array ? [result.buffer as ArrayBuffer] : [];
}

/** A file's bytes as a view of a buffer of their own, so moving it moves nothing else (Node pools small buffers). */
function ownBytes(body: string | Uint8Array): string | Uint8Array {
  if (typeof body === 'string' || movable(body)) return body;
  return new Uint8Array(body);
}

async function run(job: DocumentJob): Promise<unknown> {
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
      return measureForRoom(job.update, job.known, job.limits);
    case 'pieces':
      return causalPieces(job.update, job.maxStructs);
    case 'text':
      return readText(job.parts, job.read);
    case 'export': {
      const content = stateToContent(job.state);
      const hash = fingerprint(job.prevHash, content);
      // A stored snapshot's text that no longer hashes to its fingerprint is not rendered under it.
      if (job.hash !== null && job.hash !== hash) return null;
      const meta = statedDeliveries({ ...job.meta, hash, prevHash: job.prevHash }, content);
      return ownBytes(await renderBody({ meta, content }, job.format));
    }
    case 'render':
      return ownBytes(await renderBody(job.input, job.format));
    case 'redline':
      return ownBytes(await toRedlineDocx(job.input));
    case 'redlineDiff': {
      const diff = { ...job.versions, ...computeDiff(job.from, job.to, job.authorship, job.objectiveId) };
      return ownBytes(await toRedlineDocx(diffRedline(diff, job.agreementTitle, job.parties, job.lifeCycle)));
    }
  }
}
