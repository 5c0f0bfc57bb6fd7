import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import type { UpdateLimits } from './limits';
import { itemWeight } from './itemWeight';
import { costOf, measureUpdate, overLimits, type UpdateCost } from './updateCost';

/**
 * What a room already holds, to take from a client's update only what the room lacks. A client
 * that already has the text answers the server's sync request with its whole delete set (Yjs
 * always sends it): 20,000 ranges for 40 pages reworded for months, all of them known here.
 */
export interface KnownState {
  stateVector: Uint8Array;
  /** An update holding only the room's delete set. */
  deletions: Uint8Array;
}

/** A known state this old is still used: the room only ever gains structs and deletions, so an older one only takes less away. */
const KNOWN_STATE_MAX_AGE_MS = 1000;
const knownStates = new WeakMap<Y.Doc, { at: number; state: KnownState }>();

/**
 * The room's known state, encoded at most once a second: encoding its delete set walks every
 * struct, and a client may send over-limit updates as often as its work budget lets it.
 */
export function knownStateOf(doc: Y.Doc): KnownState {
  const now = performance.now();
  const cached = knownStates.get(doc);
  if (cached && now - cached.at < KNOWN_STATE_MAX_AGE_MS) return cached.state;
  const stateVector = Y.encodeStateVector(doc);
  const state = { stateVector, deletions: Y.encodeStateAsUpdate(doc, stateVector) };
  knownStates.set(doc, { at: now, state });
  return state;
}

type DeleteRanges = Map<number, { clock: number; len: number }[]>;

/** An update measured for its room: `cut` when it is the part of the client's update the room lacks. */
export interface MeasuredUpdate {
  cost: UpdateCost;
  update: Uint8Array;
  cut: boolean;
}

/**
 * What a client update costs its room. One over the limits, when the room's known state is
 * given, is measured again for only the part the room lacks; that part is built (and let in
 * instead of the whole) only when it is within the limits, so a hostile update of a million new
 * deletions costs one decoding, as before.
 */
export function measureForRoom(update: Uint8Array, known: KnownState | undefined, limits: UpdateLimits): MeasuredUpdate {
  const decoded = Y.decodeUpdate(update);
  const cost = costOf(decoded);
  if (!known || !overLimits(cost, limits)) return { cost, update, cut: false };
  const held = heldDeletions(known);
  const unknownCost = costOfUnknownPart(decoded, known.stateVector, held);
  if (overLimits(unknownCost, limits)) return { cost: unknownCost, update, cut: false };
  const part = cutToUnknown(update, known.stateVector, held);
  return { cost: measureUpdate(part), update: part, cut: true };
}

/** The room's deletions per client, sorted. */
function heldDeletions(known: KnownState): DeleteRanges {
  return sortedRanges(Y.decodeUpdate(known.deletions).ds.clients);
}

/** The cost of {@link unknownPart} without building it. */
function costOfUnknownPart({ structs, ds }: ReturnType<typeof Y.decodeUpdate>, stateVector: Uint8Array, deleted: DeleteRanges): UpdateCost {
  const state = Y.decodeStateVector(stateVector);
  const cost: UpdateCost = { structs: 0, deleteRanges: 0, inserted: 0 };
  for (const struct of structs) {
    const held = state.get(struct.id.client) ?? 0;
    if (struct.id.clock + struct.length <= held) continue;
    cost.structs++;
    if (struct instanceof Y.Item) cost.inserted += itemWeight(struct, Math.max(held, struct.id.clock) - struct.id.clock);
  }
  for (const [client, list] of ds.clients) forEachUnheld(list, deleted.get(client) ?? [], () => cost.deleteRanges++);
  return cost;
}

/**
 * The part of a (version 1) update a room holding `known` lacks: the structs past its state
 * vector and the deletions it has not applied. Applying it does exactly what applying the whole
 * update would; what it leaves out was a no-op.
 */
export function unknownPart(update: Uint8Array, known: KnownState): Uint8Array {
  return cutToUnknown(update, known.stateVector, heldDeletions(known));
}

function cutToUnknown(update: Uint8Array, stateVector: Uint8Array, held: DeleteRanges): Uint8Array {
  const newStructs = Y.diffUpdate(update, stateVector);
  const { ds } = Y.decodeUpdate(newStructs);
  const tail = encodeDeleteSet(ds.clients);
  // Yjs writes the delete set last, in the order encodeDeleteSet mirrors; should that ever
  // change, the update is taken whole rather than cut in the wrong place.
  if (!endsWith(newStructs, tail)) return update;
  const rest = encodeDeleteSet(subtract(ds.clients, held));
  const part = new Uint8Array(newStructs.byteLength - tail.byteLength + rest.byteLength);
  part.set(newStructs.subarray(0, newStructs.byteLength - tail.byteLength));
  part.set(rest, newStructs.byteLength - tail.byteLength);
  return part;
}

/** Each range of `ranges` less what `known` covers (known: per client, sorted and merged). */
function subtract(ranges: DeleteRanges, known: DeleteRanges): DeleteRanges {
  const rest: DeleteRanges = new Map();
  for (const [client, list] of ranges) {
    const left: { clock: number; len: number }[] = [];
    forEachUnheld(list, known.get(client) ?? [], (clock, len) => left.push({ clock, len }));
    if (left.length > 0) rest.set(client, left);
  }
  return rest;
}

/** Calls `take` for each part of one client's ranges (in any order) that `held` (sorted and merged) does not cover. */
function forEachUnheld(list: { clock: number; len: number }[], held: { clock: number; len: number }[], take: (clock: number, len: number) => void): void {
  for (const { clock, len } of list) {
    let start = clock;
    const end = clock + len;
    for (let i = firstEndingAfter(held, start); start < end; i++) {
      const k = held[i];
      if (!k || k.clock >= end) {
        take(start, end - start);
        break;
      }
      if (k.clock > start) take(start, k.clock - start);
      start = Math.max(start, k.clock + k.len);
    }
  }
}

/** Index of the first range ending after `clock` (binary search). */
function firstEndingAfter(held: { clock: number; len: number }[], clock: number): number {
  let low = 0;
  let high = held.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (held[mid].clock + held[mid].len <= clock) low = mid + 1;
    else high = mid;
  }
  return low;
}

function sortedRanges(clients: DeleteRanges): DeleteRanges {
  for (const list of clients.values()) list.sort((a, b) => a.clock - b.clock);
  return clients;
}

/** A delete set as Yjs's version 1 encoding writes it (clients from the highest id down, ranges in order). */
function encodeDeleteSet(clients: DeleteRanges): Uint8Array {
  const encoder = encoding.createEncoder();
  const entries = [...clients.entries()].filter(([, list]) => list.length > 0).sort((a, b) => b[0] - a[0]);
  encoding.writeVarUint(encoder, entries.length);
  for (const [client, list] of entries) writeClientRuns(encoder, client, list);
  return encoding.toUint8Array(encoder);
}

/** One writer's deleted runs as Yjs's version 1 delete set writes them (clocks and lengths unsigned, not as differences). */
export function writeClientRuns(encoder: encoding.Encoder, client: number, runs: readonly { clock: number; len: number }[]): void {
  encoding.writeVarUint(encoder, client);
  encoding.writeVarUint(encoder, runs.length);
  for (const { clock, len } of runs) {
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarUint(encoder, len);
  }
}

function endsWith(bytes: Uint8Array, tail: Uint8Array): boolean {
  if (tail.byteLength > bytes.byteLength) return false;
  const offset = bytes.byteLength - tail.byteLength;
  for (let i = 0; i < tail.byteLength; i++) if (bytes[offset + i] !== tail[i]) return false;
  return true;
}
