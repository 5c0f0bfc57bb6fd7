import * as Y from 'yjs';

/**
 * Whether `update` holds nothing `doc` lacks: every struct is already there and every deleted
 * range is already deleted. A read-only client's reply to the server's sync step 1 always carries
 * the whole delete set of its copy; only a real change deserves a permission-denied answer.
 */
export function addsNothing(doc: Y.Doc, update: Uint8Array): boolean {
  const { structs, ds } = Y.decodeUpdate(update);
  for (const struct of structs) {
    if (struct instanceof Y.Skip) continue;
    if (struct.id.clock + struct.length > Y.getState(doc.store, struct.id.client)) return false;
  }
  for (const [client, ranges] of ds.clients) {
    const known = Y.getState(doc.store, client);
    for (const { clock, len } of ranges) {
      for (let at = clock; at < clock + len;) {
        if (at >= known) return false;
        const struct = Y.getItem(doc.store, Y.createID(client, at));
        if (!struct.deleted) return false;
        at = struct.id.clock + struct.length;
      }
    }
  }
  return true;
}
