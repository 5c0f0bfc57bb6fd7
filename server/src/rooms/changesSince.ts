import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';

type Struct = Y.Item | Y.GC;

/**
 * What a doc holds beyond `stateVector`, with only the deletions of those changes: the structs
 * Yjs itself would write for a peer at `stateVector`, and the delete set cut down to them.
 * Yjs's own encoding (Y.encodeStateAsUpdate(doc, stateVector)) carries the whole delete set
 * and walks every struct of the doc to make it: 78 KB and several milliseconds for 40 pages
 * reworded for months. For a reader that holds a state at `stateVector` and misses no deletion
 * of it (a newcomer's kept state: newcomerState.ts), both read the same.
 */
export function changesSince(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  const { pendingStructs, pendingDs } = doc.store;
  // Changes waiting for missing history are Yjs's to merge in (rare: the guard refuses most).
  if (pendingStructs || pendingDs) return Y.encodeStateAsUpdate(doc, stateVector);
  const { encoder, clients, deletions } = structsSince(doc, stateVector);
  encoding.writeVarUint(encoder.restEncoder, deletions.size);
  for (const client of clients) {
    const runs = deletions.get(client);
    if (!runs) continue;
    encoder.resetDsCurVal();
    encoding.writeVarUint(encoder.restEncoder, client);
    encoding.writeVarUint(encoder.restEncoder, runs.length);
    for (const { clock, len } of runs) {
      encoder.writeDsClock(clock);
      encoder.writeDsLen(len);
    }
  }
  return encoder.toUint8Array();
}

/**
 * What a reader at `stateVector` lacks, with the doc's whole delete set: what
 * Y.encodeStateAsUpdate(doc, stateVector) holds, byte for byte, but with the delete set given
 * (`deleteSet`, kept as the doc changes: keptDeletions.ts) instead of made anew from every struct.
 * A returning visitor holds the text but may lack any deletion, so it is sent all of them, as Yjs does.
 */
export function catchUp(doc: Y.Doc, stateVector: Uint8Array, deleteSet: () => Uint8Array): Uint8Array {
  const { pendingStructs, pendingDs } = doc.store;
  if (pendingStructs || pendingDs) return Y.encodeStateAsUpdate(doc, stateVector);
  const structs = structsSince(doc, stateVector).encoder.toUint8Array();
  const deletions = deleteSet();
  const update = new Uint8Array(structs.length + deletions.length);
  update.set(structs);
  update.set(deletions, structs.length);
  return update;
}

/** The structs Yjs would write for a peer at `stateVector`, the writers they are of (highest id first), and their deleted runs. */
function structsSince(
  doc: Y.Doc,
  stateVector: Uint8Array,
): { encoder: Y.UpdateEncoderV1; clients: number[]; deletions: Map<number, { clock: number; len: number }[]> } {
  const held = Y.decodeStateVector(stateVector);
  const from = new Map<number, number>();
  for (const [client, structs] of doc.store.clients) {
    const clock = held.get(client) ?? 0;
    if (Y.getState(doc.store, client) > clock) from.set(client, Math.max(clock, structs[0].id.clock));
  }
  // Yjs writes clients in descending order; readers take any, but the same bytes are easier to check.
  const clients = [...from.keys()].sort((a, b) => b - a);
  const encoder = new Y.UpdateEncoderV1();
  encoding.writeVarUint(encoder.restEncoder, clients.length);
  const deletions = new Map<number, { clock: number; len: number }[]>();
  for (const client of clients) {
    const structs = doc.store.clients.get(client) as Struct[];
    const clock = from.get(client)!;
    const first = Y.findIndexSS(structs, clock);
    encoding.writeVarUint(encoder.restEncoder, structs.length - first);
    encoder.writeClient(client);
    encoding.writeVarUint(encoder.restEncoder, clock);
    const runs: { clock: number; len: number }[] = [];
    for (let i = first; i < structs.length; i++) {
      const struct = structs[i];
      const offset = i === first ? clock - struct.id.clock : 0;
      struct.write(encoder, offset);
      if (!struct.deleted) continue;
      const start = struct.id.clock + offset;
      const len = struct.length - offset;
      const last = runs.at(-1);
      if (last && last.clock + last.len === start) last.len += len;
      else runs.push({ clock: start, len });
    }
    if (runs.length > 0) deletions.set(client, runs);
  }
  return { encoder, clients, deletions };
}
