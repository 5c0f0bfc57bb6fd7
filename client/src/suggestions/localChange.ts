import type { Node as PMNode, Slice } from '@tiptap/pm/model';
import type { Transaction } from '@tiptap/pm/state';
import { ReplaceStep } from '@tiptap/pm/transform';

/** A local edit, as a suggestion can hold it: the passage `from`..`to` of the text before it, replaced by `text`. */
export interface TextChange {
  from: number;
  to: number;
  text: string;
}

/**
 * What a transaction would have changed, read by comparing the text before and after
 * (whatever made it: typing, deleting, pasting, cutting, dropping). Null when it
 * changes nothing or more than the text inside one block.
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
  const $from = before.resolve(start);
  const $to = before.resolve(endA);
  const $newTo = after.resolve(endB);
  const $newFrom = after.resolve(start);
  if (!$from.parent.isTextblock || !$from.sameParent($to) || !$newFrom.sameParent($newTo) || !$newFrom.parent.isTextblock) return null;
  let text = '';
  let onlyText = true;
  after.nodesBetween(start, endB, (node, pos) => {
    if (node.isText) text += (node.text ?? '').slice(Math.max(0, start - pos), endB - pos);
    else if (node.isInline) onlyText = false;
    return true;
  });
  return onlyText ? { from: start, to: endA, text } : null;
}

/** The text of a slice that holds only inline text (null when it holds anything else). */
function sliceText(slice: Slice): string | null {
  if (slice.openStart !== slice.openEnd) return null;
  // An open slice of several blocks splits a block (Enter): not a change of text.
  if (slice.openStart > 0 && slice.content.childCount > 1) return null;
  let text = '';
  let onlyText = true;
  slice.content.forEach(function visit(node) {
    if (node.isText) text += node.text ?? '';
    else if (node.isTextblock && slice.openStart > 0) node.content.forEach(visit);
    else onlyText = false;
  });
  return onlyText ? text : null;
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
    const text = sliceText(step.slice);
    if (text !== null && $from.parent.isTextblock && $from.sameParent(tr.before.resolve(step.to))) return { from: step.from, to: step.to, text };
  }
  return textChangeBetween(tr.before, tr.doc);
}
