import * as Y from 'yjs';
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import { CONTENT_FIELD } from '#shared/rooms';
import { documentSchema } from '#shared/schema';
import type { ProseMirrorJSON } from '#shared/snapshots';
import { repairContent } from '../rooms/guards/contentRepair';
import { DEFAULT_UPDATE_LIMITS } from '../rooms/guards/limits';
import { documentRules } from '../rooms/guards/schemaRules';

/**
 * The ProseMirror JSON of a document the caller owns (a copy: it is changed). Parts no reader
 * can read (a text stored before updates were checked: a Y.Map, a bare Y.XmlText, thousands of
 * nested quotes) are skipped rather than failing the whole read; `skipped` counts them.
 */
export function readableContent(copy: Y.Doc): { content: ProseMirrorJSON; skipped: number } {
  const skipped = repairContent(copy, documentRules(), DEFAULT_UPDATE_LIMITS.maxDepth, null);
  const content = yXmlFragmentToProseMirrorRootNode(copy.getXmlFragment(CONTENT_FIELD), documentSchema()).toJSON() as ProseMirrorJSON;
  return { content, skipped };
}
