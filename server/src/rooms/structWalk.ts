import type * as Y from 'yjs';

/** Longest stretch of walking between two yields to the event loop. */
const SLICE_MS = 5;
/** Structs visited between two looks at the clock (reading it costs about as much as a visit). */
const STRUCTS_BETWEEN_CHECKS = 512;

/** A struct of a doc's store (Yjs exports the classes, not their union). */
export type Struct = Y.Item | Y.GC | Y.Skip;

/**
 * Visits every struct of `doc`, writer by writer and in clock order, yielding to the event loop every
 * few milliseconds: 40 pages reworded for months are 64,000 structs, 20 to 40 ms walked in one go,
 * during which every room on the server waits. When the walk is whole, `finish` runs at once, in the
 * same step as the last visit (a caller that kept what it counted after an `await` would miss a change
 * made in between), and its answer is the walk's. Answers undefined, having stopped, when the doc
 * changed between two slices (its structs may have been split or merged): the caller then walks it at once.
 */
export async function walkStructsInSlices<T>(doc: Y.Doc, visit: (client: number, struct: Struct) => void, finish: () => T): Promise<T | undefined> {
  let changed = false;
  const note = () => (changed = true);
  doc.on('afterTransaction', note);
  try {
    let sliceStart = performance.now();
    let sinceCheck = 0;
    for (const [client, structs] of doc.store.clients) {
      for (let i = 0; i < structs.length; i++) {
        visit(client, structs[i] as Struct);
        if (++sinceCheck < STRUCTS_BETWEEN_CHECKS) continue;
        sinceCheck = 0;
        if (performance.now() - sliceStart < SLICE_MS) continue;
        await new Promise((resolve) => setImmediate(resolve));
        if (changed || doc.isDestroyed) return undefined;
        sliceStart = performance.now();
      }
    }
    return changed ? undefined : finish();
  } finally {
    doc.off('afterTransaction', note);
  }
}
