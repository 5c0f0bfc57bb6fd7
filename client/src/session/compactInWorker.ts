type Reply = { id: number; records?: number; error?: string };

let nextId = 0;

/**
 * Compacts the IndexedDB copy `name` (y-indexeddb's database) into one record in a worker of its
 * own, started for the job and stopped after it: compactions come every few hundred records, and
 * doing it on the page (y-indexeddb's trim) reapplied the records and encoded the whole text there,
 * which for a long, much-reworded text held the editor for a second (piecewiseSync.ts). Resolves
 * with the number of records it replaced; rejects if the worker cannot start (offline without its
 * file) or the compaction failed, the copy then left as it was.
 */
export function compactInWorker(name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    let worker: Worker;
    try {
      worker = new Worker(new URL('./copyCompactor.worker.ts', import.meta.url), { type: 'module' });
    } catch (error) {
      return reject(error instanceof Error ? error : new Error(String(error)));
    }
    worker.onmessage = ({ data }: MessageEvent<Reply>) => {
      if (data.id !== id) return;
      worker.terminate();
      if (data.error !== undefined) reject(new Error(`the copy's compaction failed: ${data.error}`));
      else resolve(data.records ?? 0);
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(`the copy's compactor failed: ${event.message}`));
    };
    worker.postMessage({ id, name });
  });
}
