import * as Y from 'yjs';
import type { ProseMirrorJSON } from '#shared/snapshots';
import { readableContent } from '../../documents/readableContent';

/**
 * The ProseMirror JSON of a stored document state, read through the shared schema (so
 * default attributes are filled in the same way every time and the fingerprint is stable);
 * parts no reader can read are skipped.
 */
export function stateToContent(state: Uint8Array): ProseMirrorJSON {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    return readableContent(doc).content;
  } finally {
    doc.destroy();
  }
}
