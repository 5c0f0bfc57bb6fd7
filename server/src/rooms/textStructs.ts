import type * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { MESSAGE_TEXT_STRUCTS } from '#shared/protocol';

/**
 * The {@link MESSAGE_TEXT_STRUCTS} message for `doc`: how many structs its store holds, which is what
 * a newcomer's copy of it carries (a count of the store's arrays, not a walk over them).
 */
export function textStructsMessage(doc: Y.Doc): Uint8Array {
  let structs = 0;
  for (const clientStructs of doc.store.clients.values()) structs += clientStructs.length;
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_TEXT_STRUCTS);
  encoding.writeVarUint(encoder, structs);
  return encoding.toUint8Array(encoder);
}
