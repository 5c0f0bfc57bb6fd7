import * as Y from 'yjs';
import { contentFragment, resolveAnchor, textBetween } from '#shared/anchors';
import type { Identity } from '#shared/protocol';
import { RecordsKey, type Author } from '#shared/records';
import { caucusRoom, contentRoom, recordsRoom } from '#shared/rooms';
import {
  MAX_COMMENTS_PER_THREAD,
  MAX_QUOTE_LENGTH,
  canResolveThread,
  mergeMentions,
  type Mention,
  type MentionRequest,
  type Thread,
  type ThreadAnchor,
  type ThreadComment,
  type ThreadListing,
} from '#shared/threads';
import type { AppContext } from '../context';
import { HttpError, badRequest, forbidden, notFound } from '../http/errors';
import type { AgreementRecord } from '../storage/port';
import { newId } from '../ids';
import { authorOf, logActivity, readRoom, writeRoom } from './write';

/** Most threads (shared or in one caucus) an agreement holds. */
export const MAX_THREADS = 5000;

/** Which room a thread command addresses: the shared records, or the asker's own caucus. */
export interface ThreadScope {
  room: string;
  caucus: boolean;
}

export function threadScope(me: Identity, caucus: boolean): ThreadScope {
  if (!caucus) return { room: recordsRoom(me.agreementId), caucus: false };
  if (!me.party) throw forbidden('you speak for no party, so you have no caucus');
  return { room: caucusRoom(me.agreementId, me.party), caucus: true };
}

/** The mentions a request names, checked against the agreement's people and parties. */
export function checkMentions(record: AgreementRecord, requested: MentionRequest[] | undefined): Mention[] {
  const mentions: Mention[] = [];
  for (const m of requested ?? []) {
    if (m.kind === 'person') {
      const person = record.people.find((p) => p.id === m.id);
      if (!person) throw badRequest(`no such person to mention: ${m.id}`);
      mentions.push({ kind: 'person', id: person.id, name: person.name });
    } else {
      const party = record.parties.find((p) => p.id === m.id);
      if (!party) throw badRequest(`no such party to mention: ${m.id}`);
      mentions.push({ kind: 'party', id: party.id, name: party.name });
    }
  }
  return mergeMentions(mentions);
}

/** Checks an anchor against the live text; answers the passage's text, or 400. */
export async function checkAnchor(ctx: AppContext, agreementId: string, anchor: ThreadAnchor): Promise<string> {
  return readRoom(ctx.rooms, contentRoom(agreementId), (doc) => {
    const fragment = contentFragment(doc);
    const resolved = resolveAnchor(doc, fragment, anchor);
    if (!resolved) throw badRequest('the anchor does not resolve in the agreement text (not sent yet, or not a position)');
    if (resolved.detached) throw badRequest('the anchor covers no text');
    const quote = textBetween(fragment, resolved.from, resolved.to);
    return quote.length > MAX_QUOTE_LENGTH ? `${quote.slice(0, MAX_QUOTE_LENGTH - 1)}…` : quote;
  });
}

function threadsMap(doc: Y.Doc): Y.Map<Thread> {
  return doc.getMap<Thread>(RecordsKey.threads);
}

function shortQuote(thread: Thread): string {
  if (!thread.quote) return 'a private note';
  const q = thread.quote.replace(/\s+/g, ' ');
  return `“${q.length > 60 ? `${q.slice(0, 59)}…` : q}”`;
}

export interface NewThread {
  anchor?: ThreadAnchor;
  quote?: string;
  body: string;
  mentions: Mention[];
}

export async function createThread(ctx: AppContext, me: Identity, scope: ThreadScope, input: NewThread): Promise<Thread> {
  const author = authorOf(me);
  const now = new Date().toISOString();
  const comment: ThreadComment = { id: newId(), body: input.body, author, createdAt: now, ...(input.mentions.length ? { mentions: input.mentions } : {}) };
  const thread: Thread = {
    id: newId(),
    ...(input.anchor ? { anchor: { start: input.anchor.start, end: input.anchor.end } } : {}),
    ...(input.quote !== undefined ? { quote: input.quote } : {}),
    createdBy: author,
    createdAt: now,
    resolved: false,
    comments: [comment],
    mentions: input.mentions,
    ...(scope.caucus ? { caucus: true } : {}),
  };
  return writeRoom(ctx.rooms, scope.room, (doc) => {
    const map = threadsMap(doc);
    if (map.size >= MAX_THREADS) throw new HttpError(409, 'this agreement holds too many threads');
    map.set(thread.id, thread);
    if (!scope.caucus) logActivity(doc, author, 'thread.created', `${author.name} started a thread on ${shortQuote(thread)}`);
    return thread;
  });
}

/**
 * Reads a thread, lets `change` check and rewrite a copy, and stores it whole, all in one
 * synchronous transaction: a refused change throws before anything is written. Answers
 * the stored thread, or null when `change` removed it.
 */
export async function changeThread(
  ctx: AppContext,
  scope: ThreadScope,
  threadId: string,
  change: (thread: Thread, doc: Y.Doc) => Thread | null,
): Promise<Thread | null> {
  return writeRoom(ctx.rooms, scope.room, (doc) => {
    const map = threadsMap(doc);
    const current = map.get(threadId);
    if (!current) throw notFound('no such thread');
    const next = change(structuredClone(current), doc);
    if (next === null) map.delete(threadId);
    else map.set(threadId, next);
    return next;
  });
}

function findComment(thread: Thread, commentId: string): ThreadComment {
  const comment = thread.comments.find((c) => c.id === commentId && !c.deleted);
  if (!comment) throw notFound('no such comment');
  return comment;
}

function ownComment(thread: Thread, commentId: string, me: Author, what: string): ThreadComment {
  const comment = findComment(thread, commentId);
  if (comment.author.personId !== me.personId) throw forbidden(`only its author can ${what} a comment`);
  return comment;
}

export async function replyToThread(
  ctx: AppContext,
  me: Identity,
  scope: ThreadScope,
  threadId: string,
  input: { body: string; mentions: Mention[] },
): Promise<{ thread: Thread; comment: ThreadComment }> {
  const author = authorOf(me);
  const comment: ThreadComment = {
    id: newId(),
    body: input.body,
    author,
    createdAt: new Date().toISOString(),
    ...(input.mentions.length ? { mentions: input.mentions } : {}),
  };
  const thread = await changeThread(ctx, scope, threadId, (t, doc) => {
    if (t.comments.length >= MAX_COMMENTS_PER_THREAD) throw new HttpError(409, 'this thread holds too many comments');
    t.comments.push(comment);
    t.mentions = mergeMentions(t.mentions, input.mentions);
    // A reply brings a resolved thread back into discussion.
    if (t.resolved) {
      t.resolved = false;
      delete t.resolvedBy;
      delete t.resolvedAt;
    }
    if (!scope.caucus) logActivity(doc, author, 'thread.replied', `${author.name} replied on ${shortQuote(t)}`);
    return t;
  });
  return { thread: thread as Thread, comment };
}

export async function editComment(
  ctx: AppContext,
  me: Identity,
  scope: ThreadScope,
  threadId: string,
  commentId: string,
  input: { body: string; mentions?: Mention[] },
): Promise<{ thread: Thread; comment: ThreadComment }> {
  const author = authorOf(me);
  let edited!: ThreadComment;
  const thread = await changeThread(ctx, scope, threadId, (t) => {
    const comment = ownComment(t, commentId, author, 'edit');
    comment.body = input.body;
    comment.editedAt = new Date().toISOString();
    if (input.mentions) {
      if (input.mentions.length) comment.mentions = input.mentions;
      else delete comment.mentions;
    }
    t.mentions = mergeMentions(...t.comments.filter((c) => !c.deleted).map((c) => c.mentions));
    edited = comment;
    return t;
  });
  return { thread: thread as Thread, comment: edited };
}

/** Deletes one's own comment; a thread whose every comment is deleted goes with it. */
export async function deleteComment(ctx: AppContext, me: Identity, scope: ThreadScope, threadId: string, commentId: string): Promise<Thread | null> {
  const author = authorOf(me);
  return changeThread(ctx, scope, threadId, (t, doc) => {
    const comment = ownComment(t, commentId, author, 'delete');
    comment.deleted = true;
    comment.deletedAt = new Date().toISOString();
    comment.body = '';
    delete comment.mentions;
    delete comment.editedAt;
    t.mentions = mergeMentions(...t.comments.filter((c) => !c.deleted).map((c) => c.mentions));
    if (t.comments.every((c) => c.deleted)) {
      if (!scope.caucus) logActivity(doc, author, 'thread.deleted', `${author.name} deleted their thread on ${shortQuote(t)}`);
      return null;
    }
    return t;
  });
}

export async function setResolved(ctx: AppContext, me: Identity, scope: ThreadScope, threadId: string, resolved: boolean): Promise<Thread> {
  const author = authorOf(me);
  const thread = await changeThread(ctx, scope, threadId, (t, doc) => {
    if (!canResolveThread(me, t)) throw forbidden(`only the thread's author, their party or the broker can ${resolved ? 'resolve' : 'reopen'} it; reply instead`);
    if (t.resolved === resolved) return t;
    t.resolved = resolved;
    if (resolved) {
      t.resolvedBy = author;
      t.resolvedAt = new Date().toISOString();
    } else {
      delete t.resolvedBy;
      delete t.resolvedAt;
    }
    if (!scope.caucus) {
      logActivity(doc, author, resolved ? 'thread.resolved' : 'thread.reopened', `${author.name} ${resolved ? 'resolved' : 'reopened'} the thread on ${shortQuote(t)}`);
    }
    return t;
  });
  return thread as Thread;
}

/** Every thread of a scope with where its passage is now, in the order of the text (notes last). */
export async function listThreads(ctx: AppContext, agreementId: string, scope: ThreadScope): Promise<ThreadListing[]> {
  const threads = await readRoom(ctx.rooms, scope.room, (doc) => [...threadsMap(doc).values()].map((t) => structuredClone(t)));
  const listed = await readRoom(ctx.rooms, contentRoom(agreementId), (doc) => {
    const fragment = contentFragment(doc);
    return threads.map((t): ThreadListing => {
      if (!t.anchor) return { ...t, detached: false, currentQuote: '' };
      const resolved = resolveAnchor(doc, fragment, t.anchor);
      if (!resolved || resolved.detached) return { ...t, detached: true, currentQuote: '' };
      return { ...t, detached: false, currentQuote: textBetween(fragment, resolved.from, resolved.to), from: resolved.from, to: resolved.to };
    });
  });
  const rank = (t: ThreadListing) => (t.from !== undefined ? 0 : t.anchor ? 1 : 2);
  return listed.sort((a, b) => rank(a) - rank(b) || (a.from ?? 0) - (b.from ?? 0) || a.createdAt.localeCompare(b.createdAt));
}
