import type * as Y from 'yjs';
import { contentFragment, resolveAnchor, textBetween } from '#shared/anchors';
import { ErrorCode } from '#shared/errors';
import { threadAuth } from '#shared/permissions';
import type { Identity } from '#shared/protocol';
import { RecordsKey, type Author } from '#shared/records';
import { caucusRoom, contentRoom, recordsRoom } from '#shared/rooms';
import {
  MAX_COMMENTS_PER_THREAD,
  mergeMentions,
  type CreateThreadRequest,
  type EditCommentRequest,
  type Mention,
  type MentionRequest,
  type ReplyRequest,
  type Thread,
  type ThreadComment,
  type ThreadListing,
} from '#shared/threads';
import { badRequest, conflict, forbidden, notFound } from '../../errors';
import { readAnchorQuote } from '../../documents/anchorQuote';
import { newId } from '../../ids';
import { authorOf, logActivity, readRoom, writeRoom } from '../../records/write';
import type { RoomManager } from '../../rooms/RoomManager';
import type { AgreementRecord } from '../../storage/port';
import { admitThread } from './budget';

/** Most threads (shared or in one caucus) an agreement holds. */
export const MAX_THREADS = 5000;

/** Which room a thread command addresses: the shared records, or the asker's own caucus. */
export interface ThreadScope {
  room: string;
  caucus: boolean;
}

export function threadScope(me: Identity, caucus: boolean): ThreadScope {
  if (!caucus) return { room: recordsRoom(me.agreementId), caucus: false };
  if (!me.party) throw forbidden(ErrorCode.NoCaucus, 'you speak for no party, so you have no caucus');
  return { room: caucusRoom(me.agreementId, me.party), caucus: true };
}

/** The mentions a request names, checked against the agreement's people and parties. */
export function checkMentions(record: AgreementRecord, requested: MentionRequest[] | undefined): Mention[] {
  const mentions: Mention[] = [];
  for (const m of requested ?? []) {
    if (m.kind === 'person') {
      const person = record.people.find((p) => p.id === m.id);
      if (!person) throw badRequest(ErrorCode.UnknownMention, `no such person to mention: ${m.id}`);
      mentions.push({ kind: 'person', id: person.id, name: person.name });
    } else {
      const party = record.parties.find((p) => p.id === m.id);
      if (!party) throw badRequest(ErrorCode.UnknownMention, `no such party to mention: ${m.id}`);
      mentions.push({ kind: 'party', id: party.id, name: party.name });
    }
  }
  return mergeMentions(mentions);
}

function threadsMap(doc: Y.Doc): Y.Map<Thread> {
  return doc.getMap<Thread>(RecordsKey.threads);
}

function shortQuote(thread: Thread): string {
  if (!thread.quote) return 'a private note';
  const q = thread.quote.replace(/\s+/g, ' ');
  return `“${q.length > 60 ? `${q.slice(0, 59)}…` : q}”`;
}

function findComment(thread: Thread, commentId: string): ThreadComment {
  const comment = thread.comments.find((c) => c.id === commentId && !c.deleted);
  if (!comment) throw notFound(ErrorCode.CommentNotFound, 'no such comment');
  return comment;
}

function ownComment(thread: Thread, commentId: string, me: Author, what: 'edit' | 'delete'): ThreadComment {
  const comment = findComment(thread, commentId);
  const allowed = what === 'edit' ? threadAuth.canUpdateComment(me, comment) : threadAuth.canDeleteComment(me, comment);
  if (!allowed) throw forbidden(ErrorCode.NotAuthor, `only its author can ${what} a comment`);
  return comment;
}

/**
 * Comment threads. Clients never write the records or caucus rooms: they ask, the
 * service checks party and authorship, then writes the change into the room, and every
 * client sees it live through the room's sync. `caucus` addresses the asker's own caucus.
 */
export class ThreadService {
  constructor(private readonly rooms: RoomManager) {}

  /** Every thread of a scope with where its passage is now, in the order of the text (notes last). */
  async list(me: Identity, caucus: boolean): Promise<ThreadListing[]> {
    const scope = threadScope(me, caucus);
    const threads = await readRoom(this.rooms, scope.room, (doc) => [...threadsMap(doc).values()].map((t) => structuredClone(t)));
    const listed = await readRoom(this.rooms, contentRoom(me.agreementId), (doc) => {
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

  /** Starts a thread on a passage (a caucus note may have none); the quote is read from the text. */
  async create(me: Identity, agreement: AgreementRecord, request: CreateThreadRequest, caucus: boolean): Promise<Thread> {
    const scope = threadScope(me, caucus);
    const mentions = checkMentions(agreement, request.mentions);
    const { anchor } = request;
    if (!anchor && !scope.caucus) throw badRequest(ErrorCode.AnchorRequired, 'a thread is about a passage: give "anchor" (only a caucus note may have none)');
    const quote = anchor ? await readAnchorQuote(this.rooms, me.agreementId, anchor) : undefined;
    const author = authorOf(me);
    const now = new Date().toISOString();
    const comment: ThreadComment = { id: newId(), body: request.body.trim(), author, createdAt: now, ...(mentions.length ? { mentions } : {}) };
    const thread: Thread = {
      id: newId(),
      ...(anchor ? { anchor: { start: anchor.start, end: anchor.end } } : {}),
      ...(quote !== undefined ? { quote } : {}),
      createdBy: author,
      createdAt: now,
      resolved: false,
      comments: [comment],
      mentions,
      ...(scope.caucus ? { caucus: true } : {}),
    };
    return writeRoom(this.rooms, scope.room, (doc) => {
      const map = threadsMap(doc);
      if (map.size >= MAX_THREADS) throw conflict(ErrorCode.TooManyThreads, 'this agreement holds too many threads');
      admitThread(map, thread.id, thread);
      map.set(thread.id, thread);
      if (!scope.caucus) logActivity(doc, author, 'thread.created', `${author.name} started a thread on ${shortQuote(thread)}`);
      return thread;
    });
  }

  /** Adds a comment; a reply brings a resolved thread back into discussion. */
  async reply(
    me: Identity,
    agreement: AgreementRecord,
    threadId: string,
    request: ReplyRequest,
    caucus: boolean,
  ): Promise<{ thread: Thread; comment: ThreadComment }> {
    const scope = threadScope(me, caucus);
    const mentions = checkMentions(agreement, request.mentions);
    const author = authorOf(me);
    const comment: ThreadComment = {
      id: newId(),
      body: request.body.trim(),
      author,
      createdAt: new Date().toISOString(),
      ...(mentions.length ? { mentions } : {}),
    };
    const thread = await this.change(scope, threadId, (t, doc) => {
      if (t.comments.length >= MAX_COMMENTS_PER_THREAD) throw conflict(ErrorCode.TooManyComments, 'this thread holds too many comments');
      t.comments.push(comment);
      t.mentions = mergeMentions(t.mentions, mentions);
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

  /** Rewrites one's own comment; its mentions change only when the request names them. */
  async edit(
    me: Identity,
    agreement: AgreementRecord,
    threadId: string,
    commentId: string,
    request: EditCommentRequest,
    caucus: boolean,
  ): Promise<{ thread: Thread; comment: ThreadComment }> {
    const scope = threadScope(me, caucus);
    const mentions = request.mentions ? checkMentions(agreement, request.mentions) : undefined;
    const author = authorOf(me);
    let edited!: ThreadComment;
    const thread = await this.change(scope, threadId, (t) => {
      const comment = ownComment(t, commentId, author, 'edit');
      comment.body = request.body.trim();
      comment.editedAt = new Date().toISOString();
      if (mentions) {
        if (mentions.length) comment.mentions = mentions;
        else delete comment.mentions;
      }
      t.mentions = mergeMentions(...t.comments.filter((c) => !c.deleted).map((c) => c.mentions));
      edited = comment;
      return t;
    });
    return { thread: thread as Thread, comment: edited };
  }

  /** Deletes one's own comment; a thread whose every comment is deleted goes with it (null). */
  async delete(me: Identity, threadId: string, commentId: string, caucus: boolean): Promise<Thread | null> {
    const scope = threadScope(me, caucus);
    const author = authorOf(me);
    return this.change(scope, threadId, (t, doc) => {
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

  /** Resolves or reopens a thread (doing it twice changes nothing). */
  async setResolved(me: Identity, threadId: string, resolved: boolean, caucus: boolean): Promise<Thread> {
    const scope = threadScope(me, caucus);
    const author = authorOf(me);
    const thread = await this.change(scope, threadId, (t, doc) => {
      const allowed = resolved ? threadAuth.canResolveThread(me, t) : threadAuth.canReopenThread(me, t);
      if (!allowed)
        throw forbidden(ErrorCode.Forbidden, `only the thread's author, their party or the broker can ${resolved ? 'resolve' : 'reopen'} it; reply instead`);
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
        logActivity(
          doc,
          author,
          resolved ? 'thread.resolved' : 'thread.reopened',
          `${author.name} ${resolved ? 'resolved' : 'reopened'} the thread on ${shortQuote(t)}`,
        );
      }
      return t;
    });
    return thread as Thread;
  }

  /**
   * Reads a thread, lets `change` check and rewrite a copy, and stores it whole, all in one
   * synchronous transaction: a refused change throws before anything is written. Answers
   * the stored thread, or null when `change` removed it.
   */
  private change(scope: ThreadScope, threadId: string, change: (thread: Thread, doc: Y.Doc) => Thread | null): Promise<Thread | null> {
    return writeRoom(this.rooms, scope.room, (doc) => {
      const map = threadsMap(doc);
      const current = map.get(threadId);
      if (!current) throw notFound(ErrorCode.ThreadNotFound, 'no such thread');
      const next = change(structuredClone(current), doc);
      admitThread(map, threadId, next);
      if (next === null) map.delete(threadId);
      else map.set(threadId, next);
      return next;
    });
  }
}
