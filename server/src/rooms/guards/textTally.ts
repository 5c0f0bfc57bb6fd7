import * as Y from 'yjs';

/**
 * What an agreement's text holds, in the unit of its size cap: each live item (a character, a
 * mark, a node) counts one, and so does each struct of deleted history, however long (Yjs keeps
 * a deleted or collected range as its length alone). Deleting text brings it down, so a text
 * someone filled can be brought back under the cap; a range that arrives already deleted or
 * collected weighs one struct, so a frame of a few bytes cannot claim a billion items. (The cap
 * used to read the writers' clocks: items ever written, a collected range at its full length.)
 */
const tallies = new WeakMap<Y.Doc, { value: number }>();

/** What one struct weighs in the tally. */
export function structWeight(struct: Y.Item | Y.GC | Y.Skip): number {
  if (struct instanceof Y.Skip) return 0;
  if (struct instanceof Y.GC || struct.deleted) return 1;
  return struct.length;
}

/** The text's tally (see above), counted once per loaded doc and kept up to date after each transaction. */
export function textTally(doc: Y.Doc): number {
  let tally = tallies.get(doc);
  if (!tally) {
    let value = 0;
    for (const structs of doc.store.clients.values()) for (const struct of structs) value += structWeight(struct);
    const own = { value };
    doc.on('afterTransaction', (tr: Y.Transaction) => (own.value += transactionWeight(tr)));
    tallies.set(doc, own);
    tally = own;
  }
  return tally.value;
}

/**
 * What a transaction added to the tally. Called before Yjs merges and collects what the
 * transaction deleted, so its new structs are still whole and its deletions are split at
 * their ends: new structs weigh their length, and each struct it deleted then weighs one.
 */
function transactionWeight(tr: Y.Transaction): number {
  const { store } = tr.doc;
  let delta = 0;
  for (const [client, after] of tr.afterState) {
    const before = tr.beforeState.get(client) ?? 0;
    if (after <= before) continue;
    const structs = store.clients.get(client)!;
    for (let i = Y.findIndexSS(structs, before); i < structs.length && structs[i].id.clock < after; i++) {
      const struct = structs[i];
      delta += struct instanceof Y.GC ? 1 : struct.length;
    }
  }
  for (const [client, ranges] of tr.deleteSet.clients) {
    const structs = store.clients.get(client);
    if (!structs) continue;
    for (const { clock, len } of ranges) {
      for (let i = Y.findIndexSS(structs, clock); i < structs.length && structs[i].id.clock < clock + len; i++) {
        const struct = structs[i];
        const from = Math.max(struct.id.clock, clock);
        const to = Math.min(struct.id.clock + struct.length, clock + len);
        delta -= to - from - 1;
      }
    }
  }
  return delta;
}

/**
 * Live items of `doc` that a decoded update's delete set would delete: a client back online
 * sends its deletions and what it wrote after them as one update, and what it deletes makes
 * room for what it writes. Read only: nothing in the store is split.
 */
export function liveItemsDeleted(doc: Y.Doc, ds: ReturnType<typeof Y.decodeUpdate>['ds']): number {
  let live = 0;
  for (const [client, ranges] of ds.clients) {
    const structs = doc.store.clients.get(client);
    if (!structs || structs.length === 0) continue;
    const last = structs[structs.length - 1];
    const known = last.id.clock + last.length;
    for (const { clock, len } of ranges) {
      if (clock >= known) continue;
      for (let i = Y.findIndexSS(structs, clock); i < structs.length && structs[i].id.clock < clock + len; i++) {
        const struct = structs[i];
        if (struct instanceof Y.GC || struct.deleted) continue;
        live += Math.min(struct.id.clock + struct.length, clock + len) - Math.max(struct.id.clock, clock);
      }
    }
  }
  return live;
}
