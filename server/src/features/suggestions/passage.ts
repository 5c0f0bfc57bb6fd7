import * as Y from 'yjs';
import { Fragment, type Node as PMNode, type ResolvedPos } from '@tiptap/pm/model';
import { Transform } from '@tiptap/pm/transform';
import { contentFragment, encodePosition, relativePositionAt, resolveAnchor } from '#shared/anchors';
import { documentSchema } from '#shared/schema';
import type { ProseMirrorJSON } from '#shared/snapshots';
import type { FormatChange, SuggestionKind } from '#shared/suggestions';
import { passageUnchanged, pointLostItsPlace } from '#shared/passageFingerprint';
import { isSafeText } from '#shared/text';
import type { ThreadAnchor } from '#shared/threads';
import { checkedBlocks, type BlockLimits } from './blockCheck';
import { ShapeError } from './shapeError';

/**
 * Where a suggestion sits in the text and what it would change, worked out on the live
 * Y.Doc and a ProseMirror copy of it. Pure functions: the service decides what to do
 * with the answers.
 */

/** The text of a passage as the outdated check compares it (blocks and hard breaks as line breaks, untrimmed). */
export function passageText(pm: PMNode, from: number, to: number): string {
  return pm.textBetween(from, to, '\n', '\n');
}

/** Why a passage cannot hold a change of a kind, or null when it can. */
export function shapeProblem(pm: PMNode, kind: SuggestionKind, from: number, to: number): string | null {
  if (from > to || to > pm.content.size) return 'the passage is not in the text';
  const $from = pm.resolve(from);
  const $to = pm.resolve(to);
  if (kind === 'format') {
    // Formatting may run across paragraphs, but must start and end in text.
    if (from === to) return 'formatting needs a passage, not a point';
    return $from.parent.inlineContent && $to.parent.inlineContent ? null : 'formatting starts and ends in text';
  }
  if (!$from.sameParent($to)) return 'a suggestion changes text inside one block, or whole blocks: this passage spans blocks';
  if (kind === 'text' && !$from.parent.isTextblock) return 'this change of text is not inside a paragraph or heading';
  if (kind === 'blocks' && $from.parent.inlineContent) return 'blocks can only be inserted or deleted between blocks';
  return null;
}

/** What a suggestion's new content is checked against besides the text: the agreement's parties and the text's limits. */
export interface ReplacementContext {
  partyIds: readonly string[];
  limits: BlockLimits;
}

/** The new content a suggestion puts in place of `from`..`to`, checked against the schema there; throws a message for people. */
export function replacement(
  pm: PMNode,
  kind: Exclude<SuggestionKind, 'format'>,
  from: number,
  to: number,
  change: { text?: string; blocks?: ProseMirrorJSON[] },
  { partyIds, limits }: ReplacementContext,
): Fragment {
  if (kind === 'blocks') return checkedBlocks(change.blocks ?? [], { pm, from, to, partyIds }, limits);
  if (!change.text) return Fragment.empty;
  if (!isSafeText(change.text)) throw new ShapeError('the text holds a control character, a bidirectional override or a broken character (lone surrogate)');
  // The new text takes the formatting of where it goes, as typing there would.
  return Fragment.from(documentSchema().text(change.text, pm.resolve(from).marks()));
}

/** The text with a formatting change made over `from`..`to`; null when it would change nothing there. */
export function formatted(pm: PMNode, from: number, to: number, { mark, on }: FormatChange): PMNode | null {
  const type = pm.type.schema.marks[mark];
  if (!type) throw new ShapeError(`the agreement has no ${mark} formatting`);
  const tr = new Transform(pm);
  if (on) tr.addMark(from, to, type.create());
  else tr.removeMark(from, to, type);
  return tr.docChanged ? tr.doc : null;
}

/** Checks that `content` may replace the passage's blocks where it is. */
export function fitsBetween($from: ResolvedPos, $to: ResolvedPos, content: Fragment): boolean {
  return $from.parent.canReplace($from.index(), $to.index(), content);
}

/** An anchor for a passage, made by the server so every suggestion's anchor behaves alike. */
export function passageAnchor(doc: Y.Doc, from: number, to: number): ThreadAnchor {
  const fragment = contentFragment(doc);
  if (from === to) {
    // A point sticks to what comes before it: text typed there later goes after it.
    const point = encodePosition(relativePositionAt(fragment, from, -1));
    return { start: point, end: point };
  }
  return { start: encodePosition(relativePositionAt(fragment, from, 0)), end: encodePosition(relativePositionAt(fragment, to, -1)) };
}

export interface Located {
  from: number;
  to: number;
  /** The passage changed since the suggestion was made, or is gone, or no longer fits its kind. */
  outdated: boolean;
}

/** Where a suggestion's passage is now in `doc` (its ProseMirror copy `pm`), and whether it still reads as it did. */
export function locate(
  doc: Y.Doc,
  pm: PMNode,
  suggestion: { kind: SuggestionKind; anchor: ThreadAnchor; deleted: string; fingerprint?: string },
): Located | null {
  const resolved = resolveAnchor(doc, contentFragment(doc), suggestion.anchor);
  if (!resolved) return null;
  const { from, to } = resolved;
  const point = suggestion.anchor.start === suggestion.anchor.end;
  if (from > to || (!point && from === to)) return { from, to: from, outdated: true };
  if (shapeProblem(pm, suggestion.kind, from, to) || pointLostItsPlace(doc, suggestion.anchor)) return { from, to, outdated: true };
  return { from, to, outdated: !passageUnchanged(pm, from, to, suggestion) };
}
