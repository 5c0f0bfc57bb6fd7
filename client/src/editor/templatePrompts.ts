import { Extension, type AnyExtension } from '@tiptap/core';
import Placeholder from '@tiptap/extension-placeholder';
import type { Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey } from '@tiptap/pm/state';
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
 * decoration (@tiptap/extension-placeholder), not text: it goes as soon as someone types, is
 * never exported and never counts as content. Readers see it too, so they can tell an
 * unfilled part at a glance. One set per editor.
 */
export function templatePrompts(): AnyExtension[] {
  // The placeholder's state is computed from the document being built, which neither
  // `editor.state` nor the view holds yet: a plugin ordered before it records that document.
  let latest: PMNode | null = null;
  const recorder = Extension.create({
    name: 'templatePromptsDoc',
    priority: 1000,
    addProseMirrorPlugins: () => [
      new Plugin({
        key: new PluginKey('templatePromptsDoc'),
        state: {
          init: (_, state) => {
            latest = state.doc;
            return null;
          },
          apply: (_tr, value, _old, state) => {
            latest = state.doc;
            return value;
          },
        },
      }),
    ],
  });
  const prompts = Placeholder.configure({
    showOnlyWhenEditable: false,
    showOnlyCurrent: false,
    includeChildren: false,
    placeholder: ({ node, pos }) => {
      const doc = latest;
      if (node.type.name !== 'paragraph' || !doc || pos > doc.content.size || doc.nodeAt(pos) !== node) return '';
      const heading = headingBefore(doc, pos);
      return heading ? (promptForHeading(heading.textContent) ?? '') : '';
    },
  });
  return [recorder, prompts];
}
