import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';

/**
 * Bytes a sync message adds around its update (message type, sync type, length prefix), with
 * room to spare: an update of `limit - SYNC_MESSAGE_OVERHEAD` bytes always fits a frame of `limit`.
 */
export const SYNC_MESSAGE_OVERHEAD = 32;

/** A single struct bigger than the budget that cannot be cut (one huge attribute value, say). */
export class UnsplittableUpdateError extends Error {}

/** The part [start, end) of one struct, in clock offsets from the struct's first clock. */
interface Slice {
  struct: Y.Item | Y.GC | Y.Skip;
  start: number;
  end: number;
  /** Encoded size when written alone (a slight overestimate: it includes a header). */
  bytes: number;
}

type DeleteRange = { clock: number; len: number };

/** At most this many structs and delete ranges in one part (the server's per-update limits). */
export interface PartCounts {
  maxStructs: number;
  maxDeleteRanges: number;
}

/** One part of a split update and the work it asks of the server (its structs plus delete ranges). */
export interface UpdatePart {
  update: Uint8Array;
  work: number;
}

const ANY_COUNT: PartCounts = { maxStructs: Infinity, maxDeleteRanges: Infinity };

/**
 * Splits a Yjs update (v1) into updates of at most `maxBytes` each that, applied in order, have
 * the same effect. Structs are kept whole where they fit and cut by clock range where they do not
 * (a 10 MB paste is one string item); the delete set goes last, cut by client and range if needed.
 * An update that already fits is returned as is.
 */
export function splitUpdate(update: Uint8Array, maxBytes: number, counts: PartCounts = ANY_COUNT): Uint8Array[] {
  return splitUpdateParts(update, maxBytes, counts).map((part) => part.update);
}

/**
 * {@link splitUpdate}, each part also within `counts` and with the work it asks. Yjs puts the whole
 * delete set in every update it encodes for a peer: a text reworded for months carries tens of
 * thousands of ranges, over the server's limit for one update though its bytes are few.
 */
export function splitUpdateParts(update: Uint8Array, maxBytes: number, counts: PartCounts = ANY_COUNT): UpdatePart[] {
  // Every struct and every delete range takes two bytes or more: an update this small is within the counts.
  if (update.length <= Math.min(maxBytes, 2 * counts.maxStructs, 2 * counts.maxDeleteRanges)) return [{ update, work: Math.ceil(update.length / 2) }];
  // Headers of a part (client count, per-client count, client and clock, delete-set count) stay under this.
  const budget = maxBytes - 64;
  if (budget < 256) throw new RangeError(`maxBytes ${maxBytes} is too small to split into`);
  const { structs, ds } = Y.decodeUpdate(update);
  const parts: UpdatePart[] = [];
  let current: Slice[] = [];
  let currentBytes = 0;
  const flush = () => {
    if (current.length > 0) parts.push({ update: encodeStructs(current), work: current.length });
    current = [];
    currentBytes = 0;
  };
  for (const struct of structs) {
    for (const slice of cut(struct, budget)) {
      if (currentBytes + slice.bytes > budget || current.length >= counts.maxStructs) flush();
      current.push(slice);
      currentBytes += slice.bytes;
    }
  }
  flush();
  const clients = ds.clients as Map<number, DeleteRange[]>;
  parts.push(...deleteSetPartsCounted(clients, Math.max(1, Math.min(Math.floor(budget / 12), counts.maxDeleteRanges))));
  return parts;
}

/** Cuts one struct into slices that each fit `budget` (most structs fit whole: one slice). */
function cut(struct: Y.Item | Y.GC | Y.Skip, budget: number): Slice[] {
  const whole = sliceOf(struct, 0, struct.length);
  if (whole.bytes <= budget) return [whole];
  if (struct instanceof Y.Item && !splittable(struct)) {
    throw new UnsplittableUpdateError(`one change of ${whole.bytes} bytes cannot be split under ${budget}`);
  }
  // Pieces proportional to the bytes per clock unit, with a margin for uneven content (multi-byte text).
  const perPiece = Math.max(1, Math.floor((struct.length * budget) / whole.bytes / 1.25));
  const slices: Slice[] = [];
  for (let start = 0; start < struct.length;) {
    let end = Math.min(struct.length, start + perPiece);
    end = avoidSplittingSurrogates(struct, start, end);
    let slice = sliceOf(struct, start, end);
    while (slice.bytes > budget && end - start > 1) {
      end = avoidSplittingSurrogates(struct, start, start + Math.floor((end - start) / 2));
      slice = sliceOf(struct, start, end);
    }
    slices.push(slice);
    start = end;
  }
  return slices;
}

function splittable(item: Y.Item): boolean {
  const content = item.content;
  return content instanceof Y.ContentString || content instanceof Y.ContentDeleted || content instanceof Y.ContentAny || content instanceof Y.ContentJSON;
}

/** Yjs replaces half a surrogate pair with U+FFFD when it splits a string: never cut between the two. */
function avoidSplittingSurrogates(struct: Y.Item | Y.GC | Y.Skip, start: number, end: number): number {
  if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentString) || end >= struct.length) return end;
  const code = struct.content.str.charCodeAt(end - 1);
  return code >= 0xd800 && code <= 0xdbff && end - 1 > start ? end - 1 : end;
}

function sliceOf(struct: Y.Item | Y.GC | Y.Skip, start: number, end: number): Slice {
  const encoder = new Y.UpdateEncoderV1();
  writeSlice(encoder, { struct, start, end, bytes: 0 });
  return { struct, start, end, bytes: encoding.length(encoder.restEncoder) };
}

/** Writes one slice as Yjs writes a struct: a cut at `start` becomes an origin at the clock before it. */
function writeSlice(encoder: Y.UpdateEncoderV1, { struct, start, end }: Slice): void {
  if (end === struct.length) {
    struct.write(encoder, start);
    return;
  }
  if (struct instanceof Y.Item) {
    const content = struct.content.copy();
    content.splice(end); // keeps [0, end)
    const head = new Y.Item(struct.id, null, struct.origin, null, struct.rightOrigin, struct.parent, struct.parentSub, content);
    head.write(encoder, start);
    return;
  }
  const Struct = struct instanceof Y.GC ? Y.GC : Y.Skip;
  new Struct(struct.id, end).write(encoder, start);
}

/** One update holding `slices` (consecutive in clock order per client) and an empty delete set. */
function encodeStructs(slices: Slice[]): Uint8Array {
  // A part must not start a client's run with a gap filler.
  const runs: Slice[][] = [];
  for (const slice of slices) {
    const run = runs.at(-1);
    if (run && run[0].struct.id.client === slice.struct.id.client) run.push(slice);
    else if (!(slice.struct instanceof Y.Skip)) runs.push([slice]);
  }
  const encoder = new Y.UpdateEncoderV1();
  encoding.writeVarUint(encoder.restEncoder, runs.length);
  for (const run of runs) {
    encoding.writeVarUint(encoder.restEncoder, run.length);
    encoder.writeClient(run[0].struct.id.client);
    encoding.writeVarUint(encoder.restEncoder, run[0].struct.id.clock + run[0].start);
    for (const slice of run) writeSlice(encoder, slice);
  }
  encoding.writeVarUint(encoder.restEncoder, 0);
  return encoder.toUint8Array();
}

/** Updates with no structs carrying the delete set, as few as fit `budget` (about 10 bytes a range at worst). */
/** Updates with no structs carrying a delete set (`ds.clients` of `Y.decodeUpdate`), at most `perPart` ranges each. */
export function deleteSetParts(clients: Map<number, DeleteRange[]>, perPart: number): Uint8Array[] {
  return deleteSetPartsCounted(clients, perPart).map((part) => part.update);
}

function deleteSetPartsCounted(clients: Map<number, DeleteRange[]>, perPart: number): UpdatePart[] {
  const chunks: [number, DeleteRange[]][][] = [[]];
  let inChunk = 0;
  for (const [client, ranges] of clients) {
    for (let i = 0; i < ranges.length;) {
      if (inChunk === perPart) {
        chunks.push([]);
        inChunk = 0;
      }
      const take = ranges.slice(i, i + perPart - inChunk);
      chunks.at(-1)!.push([client, take]);
      inChunk += take.length;
      i += take.length;
    }
  }
  if (chunks.length === 1 && chunks[0].length === 0) return [];
  return chunks.map((chunk) => {
    let work = 0;
    const encoder = new Y.UpdateEncoderV1();
    encoding.writeVarUint(encoder.restEncoder, 0);
    encoding.writeVarUint(encoder.restEncoder, chunk.length);
    for (const [client, ranges] of chunk) {
      encoder.resetDsCurVal();
      encoding.writeVarUint(encoder.restEncoder, client);
      encoding.writeVarUint(encoder.restEncoder, ranges.length);
      work += ranges.length;
      for (const { clock, len } of ranges) {
        encoder.writeDsClock(clock);
        encoder.writeDsLen(len);
      }
    }
    return { update: encoder.toUint8Array(), work };
  });
}
