import * as Y from 'yjs';
import { itemWeight } from './itemWeight';
import { walkStructsInSlices } from '../structWalk';

/**
 * What an agreement's text holds, in the unit of its size cap: each live item (a character, a
 * node) counts one, an attribute or a mark the characters of its value (itemWeight.ts), and each
 * struct of deleted history counts one, however long (Yjs keeps
 * a deleted or collected range as its length alone). Deleting text brings it down, so a text
 * someone filled can be brought back under the cap; a range that arrives already deleted or
 * collected weighs one struct, so a frame of a few bytes cannot claim a billion items. (The cap
 * used to read the writers' clocks: items ever written, a collected range at its full length.)
 */
interface Tally {
  total: number;
  /** The same, by the Yjs client id that wrote each struct (a person's share is the sum over their ids). */
  byClient: Map<number, number>;
}

const tallies = new WeakMap<Y.Doc, Tally>();

/** What one struct weighs in the tally. */
export function structWeight(struct: Y.Item | Y.GC | Y.Skip): number {
  if (struct instanceof Y.Skip) return 0;
  if (struct instanceof Y.GC || struct.deleted) return 1;
  return itemWeight(struct);
}

function tallyOf(doc: Y.Doc): Tally {
  let tally = tallies.get(doc);
  if (!tally) {
    const own: Tally = { total: 0, byClient: new Map() };
    for (const [client, structs] of doc.store.clients) {
      let weight = 0;
      for (const struct of structs) weight += structWeight(struct);
      own.byClient.set(client, weight);
      own.total += weight;
    }
    tally = kept(doc, own);
  }
  return tally;
}

/** Keeps `tally`, counted from the doc as it is now, up to date after each transaction. */
function kept(doc: Y.Doc, tally: Tally): Tally {
  doc.on('afterTransaction', (tr: Y.Transaction) => {
    for (const [client, delta] of transactionWeights(tr)) {
      tally.byClient.set(client, (tally.byClient.get(client) ?? 0) + delta);
      tally.total += delta;
    }
  });
  tallies.set(doc, tally);
  return tally;
}

/**
 * Counts the tally of a freshly loaded doc between yields to the event loop, so the first update
 * checked finds it: counted then, from every struct, it held every room's keystrokes for 31 to 38 ms
 * (40 pages reworded for months). A doc that changes meanwhile is counted when first asked, as before.
 */
export async function countTallyInSlices(doc: Y.Doc): Promise<void> {
  if (tallies.has(doc)) return;
  const counted: Tally = { total: 0, byClient: new Map() };
  await walkStructsInSlices(
    doc,
    (client, struct) => {
      const weight = structWeight(struct);
      counted.byClient.set(client, (counted.byClient.get(client) ?? 0) + weight);
      counted.total += weight;
    },
    () => tallies.has(doc) || kept(doc, counted),
  );
}

/** The text's tally (see above), counted once per loaded doc and kept up to date after each transaction. */
export function textTally(doc: Y.Doc): number {
  return tallyOf(doc).total;
}

/** The part of the tally written with the given client ids. */
export function tallyOfClients(doc: Y.Doc, clients: Iterable<number>): number {
  const { byClient } = tallyOf(doc);
  let sum = 0;
  for (const client of clients) sum += byClient.get(client) ?? 0;
  return sum;
}

/**
 * What a transaction added to the tally. Called before Yjs merges and collects what the
 * transaction deleted, so its new structs are still whole and hold their content, and its
 * deletions are split at their ends: new structs weigh what they hold, and each struct it
 * deleted then weighs one.
 */
function transactionWeights(tr: Y.Transaction): Map<number, number> {
  const { store } = tr.doc;
  const deltas = new Map<number, number>();
  for (const [client, after] of tr.afterState) {
    const before = tr.beforeState.get(client) ?? 0;
    if (after <= before) continue;
    const structs = store.clients.get(client)!;
    let delta = 0;
    for (let i = Y.findIndexSS(structs, before); i < structs.length && structs[i].id.clock < after; i++) {
      const struct = structs[i];
      delta += struct instanceof Y.GC ? 1 : itemWeight(struct);
    }
    deltas.set(client, delta);
  }
  for (const [client, ranges] of tr.deleteSet.clients) {
    const structs = store.clients.get(client);
    if (!structs) continue;
    let delta = deltas.get(client) ?? 0;
    for (const { clock, len } of ranges) {
      for (let i = Y.findIndexSS(structs, clock); i < structs.length && structs[i].id.clock < clock + len; i++) {
        const struct = structs[i];
        const from = Math.max(struct.id.clock, clock) - struct.id.clock;
        const to = Math.min(struct.id.clock + struct.length, clock + len) - struct.id.clock;
        delta -= (struct instanceof Y.Item ? itemWeight(struct, from, to) : to - from) - 1;
      }
    }
    deltas.set(client, delta);
  }
  return deltas;
}

/**
 * Live items of `doc` that a decoded update's delete set would delete: a client back online
 * sends its deletions and what it wrote after them as one update, and what it deletes makes
 * room for what it writes. Only the structs of client ids `of`, when given. Read only: nothing
 * in the store is split.
 */
export function liveItemsDeleted(doc: Y.Doc, ds: ReturnType<typeof Y.decodeUpdate>['ds'], of?: Set<number>): number {
  let live = 0;
  for (const [client, ranges] of ds.clients) {
    if (of && !of.has(client)) continue;
    const structs = doc.store.clients.get(client);
    if (!structs || structs.length === 0) continue;
    const last = structs[structs.length - 1];
    const known = last.id.clock + last.length;
    for (const { clock, len } of ranges) {
      if (clock >= known) continue;
      for (let i = Y.findIndexSS(structs, clock); i < structs.length && structs[i].id.clock < clock + len; i++) {
        const struct = structs[i];
        if (struct instanceof Y.GC || struct.deleted) continue;
        live += itemWeight(
          struct,
          Math.max(struct.id.clock, clock) - struct.id.clock,
          Math.min(struct.id.clock + struct.length, clock + len) - struct.id.clock,
        );
      }
    }
  }
  return live;
}
