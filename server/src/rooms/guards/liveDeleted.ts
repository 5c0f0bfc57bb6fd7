import * as Y from 'yjs';

type DeleteSet = ReturnType<typeof Y.decodeUpdate>['ds'];

/**
 * Calls `visit` with each live item of `doc` that an update's delete set deletes. What is already
 * deleted is skipped: deleting it changes nothing, and the delete set every client sends on
 * reconnecting holds everyone's deletions. Ranges are read as sent, past the known clocks ignored.
 */
export function forEachLiveDeleted(doc: Y.Doc, ds: DeleteSet, visit: (item: Y.Item) => void): void {
  for (const [client, ranges] of ds.clients) {
    const structs = doc.store.clients.get(client);
    if (!structs) continue;
    const known = Y.getState(doc.store, client);
    for (const { clock, len } of ranges) {
      if (clock >= known) continue;
      for (let i = Y.findIndexSS(structs, clock); i < structs.length && structs[i].id.clock < clock + len; i++) {
        const struct = structs[i];
        if (struct instanceof Y.Item && !struct.deleted) visit(struct);
      }
    }
  }
}
