import type { Node as PMNode } from '@tiptap/pm/model';
import type * as Y from 'yjs';
import { anchorAt, contentFragment, encodePosition, relativePositionAt, resolveAnchor } from '#shared/anchors';
import { passageUnchanged, pointLostItsPlace } from '#shared/passageFingerprint';
import type { Suggestion } from '#shared/suggestions';
import type { ThreadAnchor } from '#shared/threads';
import type { DraftChange } from './draft';

/** Where a suggestion is in the text now (null when its passage cannot be found), and whether the text under it changed. */
export interface SuggestionPlace {
  from: number;
  to: number;
  outdated: boolean;
}

/** Where open suggestion `s` is now in `doc` (the text of `contentDoc`), and whether it still reads as when it was made. */
export function suggestionPlace(contentDoc: Y.Doc, doc: PMNode, s: Suggestion): SuggestionPlace | null {
  const resolved = resolveAnchor(contentDoc, contentFragment(contentDoc), s.anchor);
  if (!resolved) return null;
  const { from, to } = resolved;
  const point = s.anchor.start === s.anchor.end;
  if (from > to || (!point && from === to) || to > doc.content.size) return { from, to: from, outdated: true };
  return { from, to, outdated: pointLostItsPlace(contentDoc, s.anchor) || !passageUnchanged(doc, from, to, s) };
}

/** The draft where its anchor is now (remote edits may have moved it); as it was when the anchor is lost. */
export function draftPlace(contentDoc: Y.Doc, draft: DraftChange, anchor: ThreadAnchor): DraftChange {
  const resolved = resolveAnchor(contentDoc, contentFragment(contentDoc), anchor);
  return resolved ? { ...draft, from: resolved.from, to: Math.max(resolved.from, resolved.to) } : draft;
}

/** A passage of the text as relative positions (a point sticks to what comes before it, as the server's do). */
export function passageAnchor(contentDoc: Y.Doc, from: number, to: number): ThreadAnchor {
  const fragment = contentFragment(contentDoc);
  if (from !== to) return anchorAt(fragment, from, to);
  const point = encodePosition(relativePositionAt(fragment, from, -1));
  return { start: point, end: point };
}
