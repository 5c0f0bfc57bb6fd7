import type { JSONContent } from '@tiptap/core';
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';
import { documentSchema } from '#shared/schema';

/** Rewrites a client's copy of the agreement text to `doc` (Yjs sends only the difference). */
export function writeDocument(ydoc: Y.Doc, doc: JSONContent): void {
  prosemirrorJSONToYXmlFragment(documentSchema(), doc, ydoc.getXmlFragment('content'));
}

/** A client's copy of the agreement text as ProseMirror JSON. */
export function readDocument(ydoc: Y.Doc): JSONContent {
  return yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment('content'), documentSchema()).toJSON() as JSONContent;
}

const text = (value: string): JSONContent[] => (value ? [{ type: 'text', text: value }] : []);

/** An objective block as ProseMirror JSON. */
export function objective(
  id: string,
  fields: { title?: string; intent?: string; band?: string; trigger?: string } = {},
  attrs: Record<string, unknown> = {},
): JSONContent {
  return {
    type: 'objective',
    attrs: { id, scope: 'shared', ...attrs },
    content: [
      { type: 'objectiveTitle', content: text(fields.title ?? '') },
      { type: 'objectiveIntent', content: text(fields.intent ?? '') },
      { type: 'objectiveBand', content: text(fields.band ?? '') },
      { type: 'objectiveTrigger', content: text(fields.trigger ?? '') },
    ],
  };
}

export function heading(level: number, value: string): JSONContent {
  return { type: 'heading', attrs: { level }, content: text(value) };
}

export function paragraph(value: string): JSONContent {
  return { type: 'paragraph', content: text(value) };
}
