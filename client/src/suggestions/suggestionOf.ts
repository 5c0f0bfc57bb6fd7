import { Fragment, Slice, type Node as PMNode } from '@tiptap/pm/model';
import { Transform } from '@tiptap/pm/transform';
import type { ProseMirrorJSON } from '#shared/snapshots';
import type { DraftChange } from './draft';

/** A draft as the server takes it: a change of text inside one block, or whole blocks replaced (`from`..`to` then lie between blocks). */
export type SuggestedChange =
  { kind: 'text'; from: number; to: number; text: string } | { kind: 'blocks'; from: number; to: number; blocks: ProseMirrorJSON[] };

/** The draft's new text as a slice: plain text, or paragraphs open at both ends when it holds line breaks (each break ends a paragraph). */
function sliceOf(doc: PMNode, text: string): Slice {
  const { schema } = doc.type;
  const lines = text.split('\n');
  if (lines.length === 1) return new Slice(text ? Fragment.from(schema.text(text)) : Fragment.empty, 0, 0);
  const paragraphs = lines.map((line) => schema.nodes.paragraph!.create(null, line ? schema.text(line) : null));
  return new Slice(Fragment.from(paragraphs), 1, 1);
}

/**
 * What a draft suggests, in the shape the server stores. A change inside one paragraph
 * stays a change of text. Anything else (Enter, several paragraphs pasted, a deletion
 * across blocks) is applied to a copy of the text, and the blocks it touched are
 * compared before and after: blocks alike at either end are left out, so Enter at the
 * end of a paragraph and typing is a new paragraph inserted after it, and a paragraph
 * selected and deleted is that paragraph deleted. Null when nothing would change or the
 * change does not fit.
 */
export function suggestionOf(doc: PMNode, draft: DraftChange): SuggestedChange | null {
  const { from, to, text } = draft;
  const $from = doc.resolve(from);
  const $to = doc.resolve(to);
  // A paragraph's whole text deleted is the paragraph deleted (as selecting it in Google Docs takes its paragraph mark too).
  const wholeBlockText = !text && from === $from.start() && to === $to.end() && from < to;
  if ($from.sameParent($to) && $from.parent.isTextblock && !text.includes('\n') && !wholeBlockText) return { kind: 'text', from, to, text };

  let after: PMNode;
  try {
    after = new Transform(doc).replace(from, to, sliceOf(doc, text)).doc;
  } catch {
    return null;
  }
  // The blocks touched: children of the deepest node around both ends that holds blocks.
  let depth = $from.sharedDepth(to);
  while (depth > 0 && $from.node(depth).inlineContent) depth--;
  const container = $from.node(depth);
  let first = $from.index(depth);
  let last = $to.indexAfter(depth);
  const start = $from.posAtIndex(first, depth);
  const end = $to.posAtIndex(last, depth);
  const grown = after.content.size - doc.content.size;
  // Everything outside the touched blocks must be as it was, or the change is not one of whole blocks here.
  if (!doc.slice(0, start).eq(after.slice(0, start)) || !doc.slice(end).eq(after.slice(end + grown))) return null;
  const replaced = after.slice(start, end + grown);
  if (replaced.openStart !== 0 || replaced.openEnd !== 0) return null;

  const before: PMNode[] = [];
  for (let i = first; i < last; i++) before.push(container.child(i));
  const now: PMNode[] = [];
  replaced.content.forEach((node) => now.push(node));
  // Blocks alike at the start and at the end are not part of the change.
  let startPos = start;
  while (before.length && now.length && before[0]!.eq(now[0]!)) {
    startPos += before.shift()!.nodeSize;
    now.shift();
    first++;
  }
  let endPos = end;
  while (before.length && now.length && before[before.length - 1]!.eq(now[now.length - 1]!)) {
    endPos -= before.pop()!.nodeSize;
    now.pop();
    last--;
  }
  if (!before.length && !now.length) return null;
  // Whole paragraphs selected and deleted leave one empty paragraph behind in the editor: suggest deleting them.
  const emptied = now.length === 1 && now[0]!.isTextblock && now[0]!.content.size === 0 && before.some((b) => b.content.size > 0);
  if (emptied && container.canReplace(first, last, Fragment.empty)) now.length = 0;
  return { kind: 'blocks', from: startPos, to: endPos, blocks: now.map((node) => node.toJSON() as ProseMirrorJSON) };
}
