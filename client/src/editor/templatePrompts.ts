import Placeholder from '@tiptap/extension-placeholder';
import type { Node as PMNode } from '@tiptap/pm/model';
import { promptForHeading } from '#shared/template';

/** The heading just before a top-level block, if there is one. */
function headingBefore(doc: PMNode, pos: number): PMNode | null {
  const $pos = doc.resolve(pos);
  if ($pos.depth !== 0) return null;
  const index = $pos.index();
  const previous = index > 0 ? $pos.parent.child(index - 1) : null;
  return previous?.type.name === 'heading' ? previous : null;
}

/**
 * A template part's prompt, shown in the empty paragraph under its heading. It is a
 * decoration, not text: it goes as soon as someone types, is never exported and never
 * counts as content. Readers see it too, so they can tell an unfilled part at a glance.
 */
export const TemplatePrompts = Placeholder.configure({
  showOnlyWhenEditable: false,
  showOnlyCurrent: false,
  includeChildren: false,
  placeholder: ({ editor, node, pos }) => {
    if (node.type.name !== 'paragraph') return '';
    const heading = headingBefore(editor.state.doc, pos);
    return heading ? (promptForHeading(heading.textContent) ?? '') : '';
  },
});
