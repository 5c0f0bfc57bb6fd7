import type { Author } from './records';
import type { ProseMirrorJSON } from './snapshots';
import type { ThreadAnchor, ThreadComment } from './threads';

/**
 * Suggestions: proposed changes to the text, written by the server alone into the
 * `suggestions` map of the records room (each change replaces the whole entry). A
 * suggestion never touches the text until a broker or negotiator accepts it; then the
 * server applies it as one change credited to the suggester.
 *
 * Three shapes are supported: a change inside one block (`text`: the passage between the
 * anchor's positions is replaced by `text`, possibly empty), whole blocks inserted or
 * deleted (`blocks`: the blocks between the anchor's positions are replaced by `blocks`),
 * and formatting alone (`format`: one mark put on or taken off the passage, which may
 * span blocks). Formatting suggestions are not written into the redline .docx.
 */

/** Longest suggested text, in characters. */
export const MAX_SUGGESTION_TEXT = 10_000;
/** Most blocks one suggestion inserts. */
export const MAX_SUGGESTION_BLOCKS = 50;
/** Most suggestions (of any status) an agreement holds. */
export const MAX_SUGGESTIONS = 5000;
/** Longest stored passage a suggestion replaces, in characters (longer ones are refused). */
export const MAX_SUGGESTION_PASSAGE = 20_000;

export type SuggestionKind = 'text' | 'blocks' | 'format';

/** The marks a formatting suggestion may put on or take off. */
export const SUGGESTABLE_MARKS = ['bold', 'italic', 'underline', 'strike'] as const;
export type SuggestableMark = (typeof SUGGESTABLE_MARKS)[number];

/** A formatting suggestion's change: `mark` put on the passage (`on`) or taken off it. */
export interface FormatChange {
  mark: SuggestableMark;
  on: boolean;
}
export type SuggestionStatus = 'open' | 'accepted' | 'rejected';

export interface Suggestion {
  id: string;
  kind: SuggestionKind;
  /**
   * The replaced passage as Yjs relative positions into `content` (see ThreadAnchor);
   * `start` and `end` are equal for a pure insertion.
   */
  anchor: ThreadAnchor;
  /** The passage's text when the suggestion was made ('' for a pure insertion): what is checked to tell whether it is outdated. */
  deleted: string;
  /** For `blocks` replacing blocks: a fingerprint of those blocks as they were (words, formatting, facts; see `#shared/passageFingerprint`). */
  fingerprint?: string;
  /** For `text`: what replaces the passage. */
  text?: string;
  /** For `blocks`: the blocks that replace the passage, as ProseMirror JSON. */
  blocks?: ProseMirrorJSON[];
  /** For `format`: the mark put on or taken off the passage. */
  format?: FormatChange;
  author: Author;
  createdAt: string;
  status: SuggestionStatus;
  decidedBy?: Author;
  decidedAt?: string;
  /** The reply thread. */
  comments: ThreadComment[];
}

/** A suggestion as `GET …/suggestions` lists it: where it is now and whether it still applies. */
export interface SuggestionListing extends Suggestion {
  /** The text under it changed since it was made (or is gone): it can no longer be accepted. */
  outdated: boolean;
  /** ProseMirror positions of the replaced passage now, when it can be found. */
  from?: number;
  to?: number;
}

/** `POST /api/agreements/:id/suggestions` */
export interface CreateSuggestionRequest {
  anchor: ThreadAnchor;
  /** A change inside one block: the passage's replacement ('' deletes it). */
  text?: string;
  /** Whole blocks: the passage (whole blocks, or a point between blocks) is replaced by these. */
  blocks?: ProseMirrorJSON[];
  /** Formatting alone: a mark put on or taken off the passage. */
  format?: FormatChange;
}

/** `POST …/suggestions/accept-all` and `/reject-all`: every open suggestion of one person or one party. */
export interface BulkDecisionRequest {
  person?: string;
  party?: string;
}

/** The answer to a bulk decision: what was decided, and what was left because it is outdated. */
export interface BulkDecisionResult {
  decided: Suggestion[];
  outdated: string[];
  /** Left open: they change another party's own objective, which only its negotiators or the broker may accept. */
  refused: string[];
}

/** The records room's `meta.suggestOnly`: set while only suggestions may change the text. */
export interface SuggestOnlyState {
  by: Author;
  at: string;
}

/** Key of {@link SuggestOnlyState} in the records room's `meta` map. */
export const SUGGEST_ONLY_KEY = 'suggestOnly';

function plain(node: ProseMirrorJSON): string {
  return node.text ?? (node.content ?? []).map(plain).join('');
}

/** What a suggestion puts in: its text, or its blocks' text one per line. */
export function insertedText(s: Suggestion): string {
  return s.kind === 'text' ? (s.text ?? '') : (s.blocks ?? []).map(plain).join('\n');
}

/** A short description of a suggestion for people: the activity log (and so the minutes), and the exports that list what is pending. */
export function describeSuggestion(s: Suggestion): string {
  const quote = (text: string) => `“${text.length > 40 ? `${text.slice(0, 39)}…` : text}”`;
  const oneLine = (text: string) => text.replace(/\s+/g, ' ');
  if (s.kind === 'format') return `${s.format?.on ? 'making' : 'unmaking'} ${quote(oneLine(s.deleted))} ${s.format?.mark ?? ''}`;
  if (s.kind === 'blocks') {
    // Enter or a deletion across paragraphs in suggest mode is one of these: name the words taken out and those put in.
    const taken = oneLine(s.deleted).trim();
    const put = oneLine(insertedText(s)).trim();
    const putting = put ? quote(put) : `${s.blocks?.length ?? 0} block(s)`;
    if (!s.blocks?.length) return taken ? `deleting ${quote(taken)}` : 'deleting blocks with no text';
    return taken ? `replacing ${quote(taken)} with ${putting}` : `inserting ${putting}`;
  }
  if (!s.deleted) return `inserting ${quote(s.text ?? '')}`;
  return s.text ? `replacing ${quote(s.deleted)} with ${quote(s.text)}` : `deleting ${quote(s.deleted)}`;
}

/** Open suggestions as an export states them: how many, and the first of them described (oldest first). */
export interface PendingSuggestions {
  count: number;
  described: string[];
}

/** Most open suggestions an export describes one by one; it says how many more there are. */
export const PENDING_DESCRIBED = 50;

/** The open suggestions among `all`, as an export states them. */
export function pendingSuggestions(all: Suggestion[]): PendingSuggestions {
  const open = all.filter((s) => s.status === 'open').sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return { count: open.length, described: open.slice(0, PENDING_DESCRIBED).map((s) => `${s.author.name}: ${describeSuggestion(s)}`) };
}
