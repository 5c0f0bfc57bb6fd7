import type * as Y from 'yjs';

/**
 * How many structs `doc`'s store holds: what applying a copy of it costs goes with this, not with its
 * bytes (60 pages written once: 280 KB in about 2,000; 20 pages reworded five times: 538 KB in 32,000).
 * A count of the store's arrays, not a walk over them.
 */
export function structCount(doc: Y.Doc): number {
  let structs = 0;
  for (const clientStructs of doc.store.clients.values()) structs += clientStructs.length;
  return structs;
}
