/** The worker stays this long after its last cut: a load asks for several in a row. */
const IDLE_MS = 5000;

type Reply = { id: number; pieces?: Uint8Array[]; error?: string };

let worker: Worker | null = null;
let idleTimer: ReturnType<typeof setTimeout> | null = null;
let nextId = 0;
const pending = new Map<number, { resolve: (pieces: Uint8Array[]) => void; reject: (error: Error) => void }>();

/**
 * Merges updates (several records of this device's copy) and cuts the result into causal pieces
 * (#shared/causalPieces) in a worker: cutting a long, much-reworded text (1 MB, 59,000 structs)
 * takes 150 to 350 ms, a freeze of its own on the page's thread. One worker serves every cut of a
 * load and stops when idle. Rejects if it cannot start (its file not reachable offline): the
 * caller then applies the updates whole, as before.
 */
export function cutInWorker(updates: Uint8Array[], maxStructs: number): Promise<Uint8Array[]> {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    if (idleTimer !== null) clearTimeout(idleTimer);
    idleTimer = null;
    const copies = updates.map((update) => update.slice());
    startedWorker().postMessage(
      { id, updates: copies, maxStructs },
      copies.map((copy) => copy.buffer),
    );
  });
}

function startedWorker(): Worker {
  if (worker) return worker;
  const started = new Worker(new URL('./pieceCutter.worker.ts', import.meta.url), { type: 'module' });
  started.onmessage = ({ data }: MessageEvent<Reply>) => {
    const waiting = pending.get(data.id);
    pending.delete(data.id);
    if (data.pieces) waiting?.resolve(data.pieces);
    else waiting?.reject(new Error(`the piece cutter failed: ${data.error}`));
    if (pending.size === 0) idleTimer = setTimeout(stop, IDLE_MS);
  };
  started.onerror = (event) => {
    const failed = [...pending.values()];
    pending.clear();
    stop();
    for (const { reject } of failed) reject(new Error(`the piece cutter failed: ${event.message}`));
  };
  worker = started;
  return started;
}

function stop(): void {
  worker?.terminate();
  worker = null;
  if (idleTimer !== null) clearTimeout(idleTimer);
  idleTimer = null;
}
