import type { Editor } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { simpleDiffString } from 'lib0/diff';
import { OBJECTIVE, OBJECTIVE_TEXT_FACTS, type ObjectiveTextFactKey } from '#shared/objective';

/** A change of a fact's text: `remove` characters at `index` replaced by `insert`. */
export interface TextChange {
  index: number;
  remove: number;
  insert: string;
}

/** Where an offset goes when `change` is made before or around it; one at the change stays before what was inserted there. */
export function mapOffset(offset: number, { index, remove, insert }: TextChange): number {
  if (offset <= index) return offset;
  if (offset >= index + remove) return offset - remove + insert.length;
  return index + insert.length;
}

const nodeOf = (key: ObjectiveTextFactKey) => OBJECTIVE_TEXT_FACTS.find((f) => f.key === key)!.node;

/** An objective's owners or indicators: its field's text, or null when it has no such field (a text stored before, not yet moved by the server). */
export function factFieldText(objective: PMNode, key: ObjectiveTextFactKey): string | null {
  const name = nodeOf(key);
  for (let i = 0; i < objective.childCount; i++) if (objective.child(i).type.name === name) return objective.child(i).textContent;
  return null;
}

/**
 * Makes `change`, read against `base` (the text the person saw), in the field of the objective at
 * `pos`: where words from others arrived meanwhile, the change moves with the text around it.
 */
export function changeFactField(editor: Editor, pos: number, key: ObjectiveTextFactKey, change: TextChange, base: string): void {
  const objective = editor.state.doc.nodeAt(pos);
  if (!objective || objective.type.name !== OBJECTIVE) return;
  const name = nodeOf(key);
  let start = -1;
  let live = '';
  objective.forEach((child, offset) => {
    if (child.type.name !== name) return;
    start = pos + 1 + offset + 1;
    live = child.textContent;
  });
  if (start < 0) return;
  let { index, remove } = change;
  if (live !== base) {
    const moved = simpleDiffString(base, live);
    const end = mapOffset(index + remove, moved);
    index = mapOffset(index, moved);
    remove = Math.max(0, end - index);
  }
  const tr = editor.state.tr;
  if (remove > 0) tr.delete(start + index, start + index + remove);
  if (change.insert) tr.insert(start + index, editor.schema.text(change.insert));
  if (tr.docChanged) editor.view.dispatch(tr);
}
