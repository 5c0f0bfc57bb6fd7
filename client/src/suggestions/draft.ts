import type { TextChange } from './localChange';

/** The change a person is typing in suggesting mode, before it is sent: the passage `from`..`to` replaced by `text`. */
export interface DraftChange {
  from: number;
  to: number;
  text: string;
}

/**
 * Folds one more local edit into the draft being typed, as Google Docs and Word grow a
 * suggestion while you type: typing adds to the suggested text (shown after the
 * struck passage, where the caret stays), backspace takes it back and then strikes the
 * characters before the passage, Delete strikes those after it. Answers the new draft
 * and where the caret goes, or null when the edit is elsewhere (a separate suggestion).
 */
export function foldIntoDraft(draft: DraftChange, change: TextChange): { draft: DraftChange; caret: number } | null {
  const d = { ...draft };
  const { from, to, text } = change;
  if (from === to) {
    // Typing at the passage (its end, or its start after backspacing through it).
    if (from !== d.to && from !== d.from) return null;
    d.text += text;
    return { draft: d, caret: d.to };
  }
  if (!text) {
    if (to === d.to && d.text) {
      // Backspace over text the draft suggests: take it back.
      d.text = d.text.slice(0, Math.max(0, d.text.length - (to - from)));
      return { draft: d, caret: d.to };
    }
    if (to >= d.from && from <= d.from) {
      d.from = from;
      return { draft: d, caret: d.from };
    }
    if (from === d.to) {
      d.to = to;
      return { draft: d, caret: d.to };
    }
    if (from >= d.from && to <= d.to) return { draft: d, caret: from };
    return null;
  }
  // A selection replaced: one suggestion when it touches the draft.
  if (to < d.from || from > d.to) return null;
  d.from = Math.min(d.from, from);
  d.to = Math.max(d.to, to);
  d.text += text;
  return { draft: d, caret: d.to };
}

/**
 * Whether a draft starts new paragraphs. Such a draft waits for the person to leave it: sent after
 * a pause, what they typed next would land in the paragraph before (the new one exists only as the
 * suggestion). Any other draft is sent after a pause in typing.
 */
export function startsParagraphs(draft: DraftChange): boolean {
  return draft.text.includes('\n');
}

/** A draft that changes nothing is no draft. */
export function isEmptyDraft(draft: DraftChange): boolean {
  return draft.from === draft.to && draft.text === '';
}
