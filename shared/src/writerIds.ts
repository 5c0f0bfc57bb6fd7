import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import { MAX_NAMED_WRITERS, MESSAGE_WRITER_IDS } from './protocol';

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
