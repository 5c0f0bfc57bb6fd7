import * as Y from 'yjs';
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import { documentSchema } from '#shared/schema';
import { CONTENT_FIELD } from '#shared/rooms';
import type { ProseMirrorJSON } from '#shared/snapshots';

/**
 * The ProseMirror JSON of a stored document state, read through the shared schema (so
 * default attributes are filled in the same way every time and the fingerprint is stable).
 */
export function stateToContent(state: Uint8Array): ProseMirrorJSON {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    return yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment(CONTENT_FIELD), documentSchema()).toJSON() as ProseMirrorJSON;
  } finally {
    doc.destroy();
  }
}
