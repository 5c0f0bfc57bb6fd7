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
    // The delta below reads the whole paragraph: only for one that starts with a prompt.
    const start = opening(text, LONGEST_PROMPT);
    if (![...TEMPLATE_PROMPTS].some((p) => start.startsWith(p))) continue;
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

/** The longest prompt: this many characters of a paragraph tell whether it starts with one. */
const LONGEST_PROMPT = Math.max(...[...TEMPLATE_PROMPTS].map((prompt) => prompt.length));

/**
 * The first characters of a text as it reads, `length` or more when it has them, from its first
 * items alone. Its delta reads every piece of the paragraph, deleted ones included: for each
 * paragraph at each load, 17 ms a load for 40 pages reworded for months, and 70 ms or more while
 * the server's code is not yet warm, on the event loop.
 */
function opening(text: Y.XmlText, length: number): string {
  let read = '';
  for (let item = text._start; item && read.length < length; item = item.right) {
    // Formats take no place in the text.
    if (item.deleted || !item.countable) continue;
    if (!(item.content instanceof Y.ContentString)) break;
    read += item.content.str;
  }
  return read;
}

/** Migrates a content room's old template prompts as it loads, as the server (a no-op once done). */
export const templatePromptMigration: RoomExtension = {
  afterLoad(room: Room): void {
    if (parseRoom(room.name)?.kind !== 'content') return;
    const fragment = contentFragment(room.doc);
    room.doc.transact(() => stripLegacyPrompts(fragment), SERVER_ORIGIN);
  },
};
