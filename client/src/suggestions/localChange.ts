import type { Node as PMNode, Slice } from '@tiptap/pm/model';
import type { Transaction } from '@tiptap/pm/state';
import { AddMarkStep, RemoveMarkStep, ReplaceStep } from '@tiptap/pm/transform';
import { SUGGESTABLE_MARKS, type FormatChange, type SuggestableMark } from '#shared/suggestions';

/**
 * A local edit, as a suggestion can hold it: the passage `from`..`to` of the text before
 * it (both inside paragraphs or headings, possibly different ones) replaced by `text`,
 * in which a line break ends one paragraph and starts the next, as Enter does.
 */
export interface TextChange {
  from: number;
  to: number;
  text: string;
}

/**
 * The text a change puts between two inline positions of `after`, paragraphs joined by
 * line breaks; null when it puts anything else there (a list, a rule, a hard break),
 * which a suggestion of text and paragraphs cannot hold.
 */
function insertedBetween(after: PMNode, from: number, to: number): string | null {
  let plain = true;
  after.nodesBetween(from, to, (node, pos) => {
    if (node.isInline && !node.isText) plain = false;
    // Blocks that start inside the change must be paragraphs or headings (those around it are whatever they were).
    else if (pos >= from && node.isBlock && !node.isTextblock) plain = false;
    return plain;
  });
  return plain ? after.textBetween(from, to, '\n') : null;
}

/**
 * What a transaction would have changed, read by comparing the text before and after
 * (whatever made it: typing, deleting, pasting, cutting, dropping). Null when it
 * changes nothing, or changes something other than text and paragraph breaks (a list
 * made, a rule inserted).
 */
export function textChangeBetween(before: PMNode, after: PMNode): TextChange | null {
  const start = before.content.findDiffStart(after.content);
  if (start === null) return null;
  const end = before.content.findDiffEnd(after.content);
  if (!end) return null;
  let { a: endA, b: endB } = end;
  // Repeated characters make the two ends overlap the start: push them back past it.
  const overlap = start - Math.min(endA, endB);
  if (overlap > 0) {
    endA += overlap;
    endB += overlap;
  }
  const inline = (doc: PMNode, pos: number) => pos <= doc.content.size && doc.resolve(pos).parent.inlineContent;
  if (![inline(before, start), inline(before, endA), inline(after, start), inline(after, endB)].every(Boolean)) return null;
  const text = insertedBetween(after, start, endB);
  // The block where the change starts keeps its kind (a heading made a paragraph is formatting, not text).
  if (text === null || before.resolve(start).parent.type !== after.resolve(start).parent.type) return null;
  return { from: start, to: endA, text };
}

/** The text of a slice that holds only inline text, or paragraphs open at both ends (a split, a paste of several paragraphs); null otherwise. */
function sliceText(slice: Slice): string | null {
  if (slice.openStart !== slice.openEnd || slice.openStart > 1) return null;
  const lines: string[] = [];
  let onlyText = true;
  if (slice.openStart === 0) {
    slice.content.forEach((node) => {
      if (node.isText) lines.push(node.text ?? '');
      else onlyText = false;
    });
    return onlyText ? lines.join('') : null;
  }
  slice.content.forEach((block) => {
    if (!block.isTextblock || block.type.name !== 'paragraph') onlyText = false;
    else block.forEach((node) => (node.isText ? undefined : (onlyText = false)));
    lines.push(block.textContent);
  });
  return onlyText ? lines.join('\n') : null;
}

/**
 * What a local transaction would change. One replace step is read as ProseMirror made
 * it: it knows where the caret was, which a comparison of texts cannot tell when the
 * typed character repeats its neighbour ("s" typed before "s"). Anything else is read by
 * comparing the texts before and after.
 */
export function textChangeOf(tr: Transaction): TextChange | null {
  const [step] = tr.steps;
  if (tr.steps.length === 1 && step instanceof ReplaceStep) {
    const $from = tr.before.resolve(step.from);
    const $to = tr.before.resolve(step.to);
    const text = sliceText(step.slice);
    // Text, or paragraphs open at both ends, between two places in text: the passage between is replaced and the blocks around it joined or split.
    if (text !== null && $from.parent.inlineContent && $to.parent.inlineContent) return { from: step.from, to: step.to, text };
  }
  return textChangeBetween(tr.before, tr.doc);
}

/** A local edit of formatting alone: one mark put on or taken off the passage `from`..`to`. */
export interface FormatEdit extends FormatChange {
  from: number;
  to: number;
}

/** What a transaction that only puts one mark on (or takes it off) would change; null for anything else. */
export function formatChangeOf(tr: Transaction): FormatEdit | null {
  const edits: FormatEdit[] = [];
  for (const step of tr.steps) {
    if (!(step instanceof AddMarkStep) && !(step instanceof RemoveMarkStep)) return null;
    edits.push({ mark: step.mark.type.name as SuggestableMark, on: step instanceof AddMarkStep, from: step.from, to: step.to });
  }
  const [first] = edits;
  if (!first || !SUGGESTABLE_MARKS.includes(first.mark) || edits.some((e) => e.mark !== first.mark || e.on !== first.on)) return null;
  return { ...first, from: Math.min(...edits.map((e) => e.from)), to: Math.max(...edits.map((e) => e.to)) };
}
