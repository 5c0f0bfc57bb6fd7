import type * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { MESSAGE_TEXT_STRUCTS } from '#shared/protocol';
import { structCount } from '#shared/structCount';

/**
 * The {@link MESSAGE_TEXT_STRUCTS} message for `doc`: how many structs its store holds, which is what
 * a newcomer's copy of it carries.
 */
export function textStructsMessage(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_TEXT_STRUCTS);
  encoding.writeVarUint(encoder, structCount(doc));
  return encoding.toUint8Array(encoder);
}
