/**
 * Cuts an update into causal pieces (#shared/causalPieces) in a worker started for it: cutting
 * a long, much-reworded text (1 MB, 59,000 structs) takes 150 to 350 ms, a freeze of its own
 * on the page's thread. Rejects if the worker cannot start (its file not reachable offline):
 * the update is then applied whole, as before.
 */
export function cutInWorker(update: Uint8Array, maxStructs: number): Promise<Uint8Array[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./pieceCutter.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = ({ data }: MessageEvent<Uint8Array[]>) => {
      worker.terminate();
      resolve(data);
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new Error(`the piece cutter failed: ${event.message}`));
    };
    const copy = update.slice();
    worker.postMessage({ update: copy, maxStructs }, [copy.buffer]);
  });
}
