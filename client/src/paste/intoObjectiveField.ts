import { Extension } from '@tiptap/core';
import { Fragment, Slice, type Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { OBJECTIVE, OBJECTIVE_FIELDS } from '#shared/objective';

const FIELDS: ReadonlySet<string> = new Set(OBJECTIVE_FIELDS.map((f) => f.node));

const holdsObjective = (slice: Slice) => {
  let found = false;
  slice.content.descendants((node) => !(found ||= node.type.name === OBJECTIVE));
  return found;
};

/** The words of a slice of several blocks as one line of inline content, a line break between blocks (null: it is inline already). */
export function asFieldLines(slice: Slice): Fragment | null {
  let blocks = false;
  slice.content.forEach((node) => (blocks ||= node.isBlock));
  if (!blocks) return null;
  const nodes: PMNode[] = [];
  slice.content.descendants((node) => {
    if (!node.isTextblock) return true;
    if (node.content.size === 0) return false;
    if (nodes.length > 0) nodes.push(node.type.schema.nodes.hardBreak.create());
    node.content.forEach((inline) => nodes.push(inline));
    return false;
  });
  return Fragment.from(nodes);
}

/**
 * An objective's field (title, intent, band, trigger) is one block of the objective, which holds
 * exactly one of each: pasting several paragraphs into it (a clause from a draft, lines of an
 * e-mail) would split it, the guard keeping the objective whole refused that, and nothing
 * happened at all. Pasted into a field, the paragraphs come in as its lines instead, and a
 * pasted objective (which no field can hold) comes in after the objective the caret is in.
 */
export const PasteIntoObjectiveField = Extension.create({
  name: 'pasteIntoObjectiveField',
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey('pasteIntoObjectiveField'),
        props: {
          handlePaste(view, _event, slice) {
            const { $from, $to } = view.state.selection;
            if (!FIELDS.has($from.parent.type.name) || !$from.sameParent($to)) return false;
            if (holdsObjective(slice)) {
              const after = $from.after(-1);
              view.dispatch(
                view.state.tr
                  .replaceRange(after, after, new Slice(slice.content, 0, 0))
                  .scrollIntoView()
                  .setMeta('paste', true)
                  .setMeta('uiEvent', 'paste'),
              );
              return true;
            }
            const lines = asFieldLines(slice);
            if (!lines) return false;
            view.dispatch(
              view.state.tr
                .replaceSelection(new Slice(lines, 0, 0))
                .scrollIntoView()
                .setMeta('paste', true)
                .setMeta('uiEvent', 'paste'),
            );
            return true;
          },
        },
      }),
    ];
  },
});
