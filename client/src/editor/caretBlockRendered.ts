import { Extension } from '@tiptap/core';
import { Plugin, PluginKey, type EditorState } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';

/** The class editor.css gives `content-visibility: visible`. */
const CARET_BLOCK_CLASS = 'caret-block';

const key = new PluginKey<DecorationSet>('caretBlockRendered');

/** The top-level blocks holding the two ends of the selection, as node decorations. */
function caretBlocks(state: EditorState): DecorationSet {
  const { doc, selection } = state;
  const decorations: Decoration[] = [];
  const seen = new Set<number>();
  for (const pos of [selection.from, selection.to]) {
    const $pos = doc.resolve(pos);
    // Inside a block, its top-level ancestor; between blocks (a selected objective), the block after.
    const start = $pos.depth > 0 ? $pos.before(1) : pos;
    const block = doc.nodeAt(start);
    if (!block || seen.has(start)) continue;
    seen.add(start);
    decorations.push(Decoration.node(start, start + block.nodeSize, { class: CARET_BLOCK_CLASS }));
  }
  return DecorationSet.create(doc, decorations);
}

/**
 * Keeps the block this person types in rendered at all times. Off-screen blocks skip style,
 * layout and paint (`content-visibility: auto` in editor.css), and Chromium creates every new
 * block skipped until the next frame finds it on screen. Text typed into a block in that state
 * goes in with the caret left in front of it: Enter and a letter within one frame turned "This
 * clause" into "his clause" with the "T" after the caret, which on a busy old laptop is ordinary
 * typing. Decorating the caret's block in the very transaction that creates or reaches it gives
 * it `content-visibility: visible` before the browser inserts anything there.
 */
export const CaretBlockRendered = Extension.create({
  name: 'caretBlockRendered',
  addProseMirrorPlugins() {
    return [
      new Plugin<DecorationSet>({
        key,
        state: {
          init: (_, state) => caretBlocks(state),
          // Recomputed only when the text or the selection changed: a caret moving within its block
          // keeps an equal decoration, which ProseMirror leaves alone in the DOM.
          apply: (tr, previous, _old, state) => (tr.docChanged || tr.selectionSet ? caretBlocks(state) : previous),
        },
        props: {
          decorations: (state) => key.getState(state),
        },
      }),
    ];
  },
});
