import * as Y from 'yjs';
import { UpdateRefused } from './updateCost';

/**
 * A Yjs delete set may name items that do not exist yet: Yjs keeps such a deletion pending and
 * applies it when the items arrive. A hand-made update naming another person's next clocks
 * deleted everything they typed after it, everywhere; a client only deletes what it has.
 */

/** Refuses deletions of items neither the text nor the update holds. */
export function deletesOnlyWhatExists(doc: Y.Doc, decoded: ReturnType<typeof Y.decodeUpdate>): void {
  if (decoded.ds.clients.size === 0) return;
  const ends = new Map<number, number>();
  for (const struct of decoded.structs)
    if (!(struct instanceof Y.Skip)) ends.set(struct.id.client, Math.max(ends.get(struct.id.client) ?? 0, struct.id.clock + struct.length));
  for (const [client, ranges] of decoded.ds.clients) {
    const known = Math.max(Y.getState(doc.store, client), ends.get(client) ?? 0);
    for (const { clock, len } of ranges) {
      if (clock + len > known) throw new UpdateRefused('it deletes what the text does not hold');
    }
  }
}

/**
 * Drops the deletions a stored text keeps waiting (from before they were refused); answers
 * whether there were any. A legitimate one, lost, leaves text that can be deleted again;
 * waiting items are kept (tests/hostile/pendingHistory.test.ts).
 */
export function dropPendingDeletes(doc: Y.Doc): boolean {
  if (doc.store.pendingDs === null) return false;
  doc.store.pendingDs = null;
  return true;
}
