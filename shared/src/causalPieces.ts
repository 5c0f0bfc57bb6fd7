import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { deleteSetParts } from '#shared/splitUpdate';

type Struct = Y.Item | Y.GC | Y.Skip;

/**
 * Cuts a Yjs update (v1) into updates of at most `maxStructs` structs each, then the delete set in
 * parts of at most `maxDeletes` ranges, ordered so that every struct comes after what it hangs on
 * (its left and right origins, its parent). Applied one after another, each piece integrates
 * whole: nothing waits in Yjs's pending store, which would merge what waits with every later
 * piece and retry it. A long agreement reworded for months (59,000 structs) applied in one go held
 * the server's event loop for hundreds of milliseconds when its room loaded, and the page for about a
 * second when it opened; in pieces, both yield between them (server/src/rooms/Room.ts on the
 * server, client/src/session/piecewiseSync.ts on the page). Applying the pieces in order has the
 * effect of the update.
 */
export function causalPieces(update: Uint8Array, maxStructs: number, maxDeletes = 4 * maxStructs): Uint8Array[] {
  const { structs, ds } = Y.decodeUpdate(update);
  const byClient = new Map<number, Struct[]>();
  for (const struct of structs) {
    const list = byClient.get(struct.id.client);
    if (list) list.push(struct);
    else byClient.set(struct.id.client, [struct]);
  }
  // Per client: the index of its next struct to place, and the clock up to which it is placed.
  const next = new Map<number, number>();
  const placedTo = new Map<number, number>();
  for (const [client, list] of byClient) {
    next.set(client, 0);
    placedTo.set(client, list[0].id.clock);
  }
  // An id of a client this update does not carry is the document's already (or Yjs waits for it, as it would anyway).
  const placed = (id: Y.ID | null) => id === null || !placedTo.has(id.client) || id.clock < placedTo.get(id.client)!;
  const canPlace = (struct: Struct) =>
    !(struct instanceof Y.Item) || (placed(struct.origin) && placed(struct.rightOrigin) && (!(struct.parent instanceof Y.ID) || placed(struct.parent)));

  const pieces: Uint8Array[] = [];
  let piece = new Map<number, { from: number; to: number }>();
  let inPiece = 0;
  const flush = () => {
    if (inPiece > 0) pieces.push(encodePiece(byClient, piece));
    piece = new Map();
    inPiece = 0;
  };
  let left = structs.length;
  // Each pass over the clients places what it can; a text whose edits hang on each other across
  // many writers takes more passes. A state made to need a pass per struct (a chain through
  // thousands of clients, which a hostile client could write) would cost passes × clients: past
  // this budget the update is applied whole, as before pieces existed.
  let visits = 50 * structs.length + 100_000;
  while (left > 0) {
    let progressed = false;
    for (const [client, list] of byClient) {
      if (--visits < 0) return [update];
      const from = next.get(client)!;
      let to = from;
      while (to < list.length && inPiece < maxStructs && canPlace(list[to])) {
        placedTo.set(client, list[to].id.clock + list[to].length);
        to++;
        inPiece++;
      }
      if (to === from) continue;
      progressed = true;
      next.set(client, to);
      left -= to - from;
      // A client's runs in one piece are consecutive: one run, as the format requires.
      const run = piece.get(client);
      if (run) run.to = to;
      else piece.set(client, { from, to });
      if (inPiece >= maxStructs) flush();
    }
    // Only an update whose structs hang on each other in a circle could stop here; none is made so.
    if (!progressed) return [update];
  }
  flush();
  pieces.push(...deleteSetParts(ds.clients as Map<number, { clock: number; len: number }[]>, maxDeletes));
  return pieces;
}

/** One update holding, for each client, its structs [from, to), and an empty delete set. */
function encodePiece(byClient: Map<number, Struct[]>, runs: Map<number, { from: number; to: number }>): Uint8Array {
  const encoder = new Y.UpdateEncoderV1();
  const written: [number, Struct[]][] = [];
  for (const [client, { from, to }] of runs) {
    const run = byClient.get(client)!.slice(from, to);
    // A run may not start with a gap filler.
    while (run.length > 0 && run[0] instanceof Y.Skip) run.shift();
    if (run.length > 0) written.push([client, run]);
  }
  // Highest client first, as Yjs writes an update: Y.mergeUpdates reads each update in that order
  // and dropped structs of a piece that listed its clients otherwise (the device copy merges pieces).
  written.sort(([a], [b]) => b - a);
  encoding.writeVarUint(encoder.restEncoder, written.length);
  for (const [client, run] of written) {
    encoding.writeVarUint(encoder.restEncoder, run.length);
    encoder.writeClient(client);
    encoding.writeVarUint(encoder.restEncoder, run[0].id.clock);
    for (const struct of run) struct.write(encoder, 0);
  }
  encoding.writeVarUint(encoder.restEncoder, 0);
  return encoder.toUint8Array();
}
