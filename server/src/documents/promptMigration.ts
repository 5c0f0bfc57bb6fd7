import * as Y from 'yjs';
import { contentFragment } from '#shared/anchors';
import { parseRoom } from '#shared/rooms';
import { TEMPLATE_PROMPTS } from '#shared/template';
import type { Room } from '../rooms/Room';
import type { RoomExtension } from '../rooms/extension';
import { SERVER_ORIGIN } from '../rooms/origin';

type DeltaOp = { insert: unknown; attributes?: Record<string, unknown> };

/** y-prosemirror stores a mark as a format named after it (with a suffix when marks of one type overlap). */
const italicKey = (attributes: Record<string, unknown> | undefined) => Object.keys(attributes ?? {}).find((k) => k === 'italic' || k.startsWith('italic--'));

/**
 * Templates made before prompts became placeholders wrote each prompt into the text as an
 * italic paragraph, and what people typed after it inherited the italic. This strips such a
 * prompt from the start of a top-level paragraph, and the italic from text typed onto it, so
 * the paragraph holds only what people wrote (an empty one shows the prompt as a
 * placeholder again). Answers how many paragraphs it changed; a migrated text has none left.
 */
export function stripLegacyPrompts(fragment: Y.XmlFragment): number {
  let changed = 0;
  for (const child of fragment.toArray()) {
    if (!(child instanceof Y.XmlElement) || child.nodeName !== 'paragraph') continue;
    const text = child.get(0);
    if (!(text instanceof Y.XmlText)) continue;
    const [first] = text.toDelta() as DeltaOp[];
    const key = italicKey(first?.attributes);
    if (!first || typeof first.insert !== 'string' || !key) continue;
    const run = first.insert;
    const prompt = [...TEMPLATE_PROMPTS].find((p) => run.startsWith(p));
    if (!prompt) continue;
    let cut = prompt.length;
    while (cut < run.length && /\s/.test(run[cut])) cut++;
    text.delete(0, cut);
    // The rest of the italic run was typed onto the prompt and only inherited its italic.
    if (run.length > cut) text.format(0, run.length - cut, { [key]: null });
    changed++;
  }
  return changed;
}

/** Migrates a content room's old template prompts as it loads, as the server (a no-op once done). */
export const templatePromptMigration: RoomExtension = {
  afterLoad(room: Room): void {
    if (parseRoom(room.name)?.kind !== 'content') return;
    const fragment = contentFragment(room.doc);
    room.doc.transact(() => stripLegacyPrompts(fragment), SERVER_ORIGIN);
  },
};
