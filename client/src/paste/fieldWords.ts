import { Extension } from '@tiptap/core';
import { Slice } from '@tiptap/pm/model';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { OBJECTIVE, OBJECTIVE_FIELDS } from '#shared/objective';

const FIELDS: ReadonlySet<string> = new Set(OBJECTIVE_FIELDS.map((f) => f.node));

/**
 * Words taken from inside one field of an objective (dragged, or copied and pasted) as just those words. ProseMirror
 * keeps them wrapped in a piece of their objective and field: dropped into a paragraph, that piece split the paragraph
 * and closed with a second, empty copy of the objective (same id), which the server refused: "not saved", text reloaded.
 */
export function wordsOfOneField(slice: Slice): Slice {
  const objective = slice.content.firstChild;
  if (slice.content.childCount !== 1 || objective?.type.name !== OBJECTIVE || slice.openStart < 2 || slice.openEnd < 2) return slice;
  const field = objective.firstChild;
  if (objective.childCount !== 1 || !field || !FIELDS.has(field.type.name)) return slice;
  return new Slice(field.content, 0, 0);
}

/** Words dragged or pasted out of an objective's field come in as words wherever they are dropped or pasted. */
export const FieldWordsAsText = Extension.create({
  name: 'fieldWordsAsText',
  addProseMirrorPlugins() {
    return [new Plugin({ key: new PluginKey('fieldWordsAsText'), props: { transformPasted: wordsOfOneField } })];
  },
});
