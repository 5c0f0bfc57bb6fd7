import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { decodeDeleteSet, encodeDeleteSet, newestRuns, type DeleteSet } from './deleteSets';
import { MAX_NAMED_DELETION_RUNS, MAX_NAMED_DELETIONS_BYTES, MAX_NAMED_WRITERS, MESSAGE_WRITER_DELETIONS, MESSAGE_WRITER_IDS } from './protocol';

/** The {@link MESSAGE_WRITER_IDS} message naming `ids` (at most {@link MAX_NAMED_WRITERS}: the newest, last in `ids`, are kept). */
export function writerIdsMessage(ids: readonly number[]): Uint8Array {
  const named = ids.slice(-MAX_NAMED_WRITERS);
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_WRITER_IDS);
  encoding.writeVarUint(encoder, named.length);
  for (const id of named) encoding.writeVarUint(encoder, id);
  return encoding.toUint8Array(encoder);
}

/** The ids of a {@link MESSAGE_WRITER_IDS} message, read after its type; at most `max` of them are read. Throws on a malformed one. */
export function readWriterIds(decoder: decoding.Decoder, max = MAX_NAMED_WRITERS): number[] {
  const count = decoding.readVarUint(decoder);
  const ids: number[] = [];
  for (let i = 0; i < Math.min(count, max); i++) ids.push(decoding.readVarUint(decoder));
  return ids;
}

/** The {@link MESSAGE_WRITER_DELETIONS} message naming `deleted` (at most {@link MAX_NAMED_DELETION_RUNS} runs: the newest clients' are kept). */
export function writerDeletionsMessage(deleted: DeleteSet): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_WRITER_DELETIONS);
  encoding.writeVarUint8Array(encoder, encodeDeleteSet(newestRuns(deleted, MAX_NAMED_DELETION_RUNS)));
  return encoding.toUint8Array(encoder);
}

/** The deletions of a {@link MESSAGE_WRITER_DELETIONS} message, read after its type, sorted and merged. Throws on a malformed or oversized one. */
export function readWriterDeletions(decoder: decoding.Decoder): DeleteSet {
  const bytes = decoding.readVarUint8Array(decoder);
  // Checked before decoding: every byte could be a run, an object each.
  if (bytes.length > MAX_NAMED_DELETIONS_BYTES) throw new RangeError(`named deletions over ${MAX_NAMED_DELETIONS_BYTES} bytes`);
  return newestRuns(decodeDeleteSet(bytes), MAX_NAMED_DELETION_RUNS);
}
