import type { Author } from './records';
import type { Role } from './roles';

/**
 * Comment threads. The server alone writes them, into the `threads` map of the records
 * room (shared threads) or of a party's caucus room (private threads and notes), each
 * thread an entry whose comments are entries of their own, so a change writes only
 * itself (see `threadStore.ts` for the stored shape and its readers).
 */

/** Longest comment body, in characters. */
export const MAX_COMMENT_LENGTH = 5000;
/** Longest stored quote (the passage a thread was started on), in characters. */
export const MAX_QUOTE_LENGTH = 1000;
/** Most comments one thread holds (replies included). */
export const MAX_COMMENTS_PER_THREAD = 500;
/** Most mentions one comment carries. */
export const MAX_MENTIONS = 20;

/**
 * Where a thread sits in the text: two Yjs relative positions into the content room's
 * `content` fragment, each `Y.encodeRelativePosition` in base64. `start` sticks to the
 * first character of the passage, `end` to its last, so the passage follows edits.
 */
export interface ThreadAnchor {
  start: string;
  end: string;
}

export interface Mention {
  kind: 'person' | 'party';
  id: string;
  /** Display name when the mention was made. */
  name: string;
}

export interface ThreadComment {
  id: string;
  /** Plain text; clients show it escaped. Empty once deleted. */
  body: string;
  author: Author;
  createdAt: string;
  editedAt?: string;
  deleted?: boolean;
  deletedAt?: string;
  mentions?: Mention[];
}

export interface Thread {
  id: string;
  /** Absent for a caucus note that is about no passage in particular. */
  anchor?: ThreadAnchor;
  /** The passage's text when the thread was started (read by the server from the anchor). */
  quote?: string;
  createdBy: Author;
  createdAt: string;
  resolved: boolean;
  resolvedBy?: Author;
  resolvedAt?: string;
  comments: ThreadComment[];
  /** Everyone and every party mentioned anywhere in the thread, once each. */
  mentions: Mention[];
  /** True for threads of a party's caucus (private to its members). */
  caucus?: boolean;
}

/** A thread as `GET /api/agreements/:id/threads` lists it: where its passage is now. */
export interface ThreadListing extends Thread {
  /** True when the whole passage has been deleted (false for a note about no passage). */
  detached: boolean;
  /** The passage's text as it reads now ('' when detached). */
  currentQuote: string;
  /** ProseMirror positions of the passage now, when attached. */
  from?: number;
  to?: number;
}

export interface MentionRequest {
  kind: 'person' | 'party';
  id: string;
}

/** `POST /api/agreements/:id/threads` */
export interface CreateThreadRequest {
  /**
   * The thread's id, chosen by the client (8 to 64 of A-Z a-z 0-9 _ -), so that sending it again after a lost
   * answer finds the thread it made instead of making a second; the server chooses one when it is absent.
   */
  id?: string;
  /** Required for shared threads; a caucus note may have none. */
  anchor?: ThreadAnchor;
  body: string;
  /** Put the thread in my party's caucus (private to its members). */
  caucus?: boolean;
  /**
   * With `caucus`: the party whose private space it was written for. A negotiator moved to another party
   * while writing is refused (403 `wrong_party`) rather than having it land in the new party's caucus.
   */
  party?: string;
  mentions?: MentionRequest[];
}

/** `POST /api/agreements/:id/threads/:threadId/comments` */
export interface ReplyRequest {
  /** The comment's id, chosen by the client as a thread's may be (see {@link CreateThreadRequest.id}). */
  id?: string;
  body: string;
  caucus?: boolean;
  mentions?: MentionRequest[];
}

/** `PATCH /api/agreements/:id/threads/:threadId/comments/:commentId` */
export interface EditCommentRequest {
  body: string;
  caucus?: boolean;
  mentions?: MentionRequest[];
}

/** One person of an agreement, as `GET /api/agreements/:id/people` lists them (for `@` mentions). */
export interface PersonSummary {
  id: string;
  name: string;
  role: Role;
  party?: string;
}

/** Comments of a thread that are still there. */
export function liveComments(thread: Thread): ThreadComment[] {
  return thread.comments.filter((c) => !c.deleted);
}

/** Merges mention lists, one entry per kind and id. */
export function mergeMentions(...lists: (Mention[] | undefined)[]): Mention[] {
  const seen = new Map<string, Mention>();
  for (const list of lists) for (const m of list ?? []) seen.set(`${m.kind}:${m.id}`, m);
  return [...seen.values()];
}
