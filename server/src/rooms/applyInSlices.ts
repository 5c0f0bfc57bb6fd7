import * as Y from 'yjs';

/** Cuts a big update into pieces that, applied in order, have its effect (#shared/causalPieces, in the document worker). */
export type UpdateCutter = (update: Uint8Array) => Promise<Uint8Array[]>;

/**
 * An update from this size on is cut before it is applied. Whole, it is one call that no slice can
 * interrupt: the compacted state of 40 pages reworded for months (1 MB, 59,000 structs) held the event
 * loop, and with it every room's sync, for 300 to 700 ms. Cutting costs a wait for the worker, so a
 * state that applies in a few tens of milliseconds (40 pages written in one go: 182 KB, about 30 ms) is
 * applied whole.
 */
const CUT_FROM_BYTES = 256 * 1024;

/** Longest stretch of applying between two yields to the event loop. */
const SLICE_MS = 10;

/** The updates with each big one replaced by its pieces, in order. */
export async function cutLarge(updates: Uint8Array[], cut: UpdateCutter): Promise<Uint8Array[]> {
  const pieces: Uint8Array[] = [];
  for (const update of updates) {
    if (update.length < CUT_FROM_BYTES) pieces.push(update);
    else pieces.push(...(await cut(update)));
  }
  return pieces;
}

/**
 * Applies updates in order, yielding to the event loop every few milliseconds so a long text does
 * not stall the other rooms. One transaction a slice: Yjs then cleans up and merges once per slice,
 * not per update (100,000 typed characters: 0.4 s instead of 1.1 s).
 */
export async function applyInSlices(doc: Y.Doc, updates: Uint8Array[]): Promise<void> {
  let next = 0;
  while (next < updates.length) {
    const sliceStart = performance.now();
    doc.transact(() => {
      while (next < updates.length && performance.now() - sliceStart < SLICE_MS) Y.applyUpdate(doc, updates[next++]);
    });
    if (next < updates.length) await new Promise((resolve) => setImmediate(resolve));
  }
}
