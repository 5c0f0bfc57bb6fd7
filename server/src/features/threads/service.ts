import type * as Y from 'yjs';
import { contentFragment, resolveAnchor, textBetween } from '#shared/anchors';
import { ErrorCode } from '#shared/errors';
import { threadAuth } from '#shared/permissions';
import type { Identity } from '#shared/protocol';
import type { Author } from '#shared/records';
import { readThread, readThreads, threadsOf, toStoredThread } from '#shared/threadStore';
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
import { MAX_THREADS, admitNewThread, admitReplyCount, admitThreadChange, fieldsDelta, forgetThread, jsonBytes } from './budget';
import { writeThread, type ThreadWrite } from './storedThread';

/** Most threads (shared or in one caucus) an agreement holds. */

/** Which room a thread command addresses: the shared records, or the asker's own caucus. */
export interface ThreadScope {
  room: string;
  caucus: boolean;
}

/** `party`: the party a caucus command was written for, when the asker's party may have changed since. */
export function threadScope(me: Identity, caucus: boolean, party?: string): ThreadScope {
  if (!caucus) return { room: recordsRoom(me.agreementId), caucus: false };
  if (!me.party) throw forbidden(ErrorCode.NoCaucus, 'you speak for no party, so you have no caucus');
  // Words meant for one party's private space never go to another's (a negotiator moved while writing).
  if (party !== undefined && party !== me.party)
    throw forbidden(ErrorCode.WrongParty, 'you no longer speak for the party this was written for, so it was not sent');
  return { room: caucusRoom(me.agreementId, me.party), caucus: true };
}

/**
 * The mentions a request names, checked against the agreement's people and parties. In a caucus
 * (`scope.caucus`, the asker's party's) only that party and its people: nobody else can read it.
 */
export function checkMentions(record: AgreementRecord, requested: MentionRequest[] | undefined, me: Identity, scope: ThreadScope): Mention[] {
  const mentions: Mention[] = [];
  const outside = (party: string | undefined) => {
    if (scope.caucus && party !== me.party) throw badRequest(ErrorCode.MentionOutsideCaucus, 'a private thread can mention only your own party and its people');
  };
  for (const m of requested ?? []) {
    if (m.kind === 'person') {
      const person = record.people.find((p) => p.id === m.id);
      if (!person) throw badRequest(ErrorCode.UnknownMention, `no such person to mention: ${m.id}`);
      outside(person.party);
      mentions.push({ kind: 'person', id: person.id, name: person.name });
    } else {
      const party = record.parties.find((p) => p.id === m.id);
      if (!party) throw badRequest(ErrorCode.UnknownMention, `no such party to mention: ${m.id}`);
      outside(party.id);
      mentions.push({ kind: 'party', id: party.id, name: party.name });
    }
  }
  return mergeMentions(mentions);
}

function shortQuote(thread: Thread): string {
  if (!thread.quote) return 'a private note';
  const q = thread.quote.replace(/\s+/g, ' ');
  return `“${q.length > 60 ? `${q.slice(0, 59)}…` : q}”`;
}

/** The index of one's own live comment in the thread (404 when there is none, 403 when another's). */
function ownComment(thread: Thread, commentId: string, me: Author, what: 'edit' | 'delete'): number {
  const index = thread.comments.findIndex((c) => c.id === commentId && !c.deleted);
  if (index < 0) throw notFound(ErrorCode.CommentNotFound, 'no such comment');
  const comment = thread.comments[index];
  const allowed = what === 'edit' ? threadAuth.canUpdateComment(me, comment) : threadAuth.canDeleteComment(me, comment);
  if (!allowed) throw forbidden(ErrorCode.NotAuthor, `only its author can ${what} a comment`);
  return index;
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
    const threads = await readRoom(this.rooms, scope.room, (doc) => readThreads(doc).map((t) => structuredClone(t)));
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
    const scope = threadScope(me, caucus, request.party);
    const mentions = checkMentions(agreement, request.mentions, me, scope);
    const { anchor } = request;
    if (!anchor && !scope.caucus) throw badRequest(ErrorCode.AnchorRequired, 'a thread is about a passage: give "anchor" (only a caucus note may have none)');
    const quote = anchor ? await readAnchorQuote(this.rooms, me.agreementId, anchor) : undefined;
    const author = authorOf(me);
    const now = new Date().toISOString();
    const comment: ThreadComment = { id: newId(), body: request.body.trim(), author, createdAt: now, ...(mentions.length ? { mentions } : {}) };
    const thread: Thread = {
      id: request.id ?? newId(),
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
      const map = threadsOf(doc);
      const made = map.get(thread.id);
      if (made) {
        // Sent again after its answer was lost: answered with the thread it made.
        const earlier = readThread(made);
        refuseAnotherPersons(earlier.createdBy, author);
        return earlier;
      }
      if (map.size >= MAX_THREADS) throw conflict(ErrorCode.TooManyThreads, 'this agreement holds too many threads');
      admitNewThread(map, thread);
      map.set(thread.id, toStoredThread(thread));
      if (!scope.caucus) logActivity(doc, author, 'thread.created', `${author.name} started a thread on ${shortQuote(thread)}`);
      return thread;
    });
  }

  /** Adds a comment (written alone); a reply brings a resolved thread back into discussion. */
  async reply(
    me: Identity,
    agreement: AgreementRecord,
    threadId: string,
    request: ReplyRequest,
    caucus: boolean,
  ): Promise<{ thread: Thread; comment: ThreadComment }> {
    const scope = threadScope(me, caucus);
    const mentions = checkMentions(agreement, request.mentions, me, scope);
    const author = authorOf(me);
    let comment: ThreadComment = {
      id: request.id ?? newId(),
      body: request.body.trim(),
      author,
      createdAt: new Date().toISOString(),
      ...(mentions.length ? { mentions } : {}),
    };
    const thread = await this.change(scope, threadId, (t, write, doc) => {
      const made = t.comments.find((c) => c.id === comment.id);
      if (made) {
        refuseAnotherPersons(made.author, author);
        comment = made;
        return;
      }
      if (t.comments.length >= MAX_COMMENTS_PER_THREAD) throw conflict(ErrorCode.TooManyComments, 'this thread holds too many comments');
      admitReplyCount(t.comments, author.personId, ErrorCode.TooManyComments);
      const fields: Partial<Thread> = { ...mentionsChange(t, mergeMentions(t.mentions, mentions)) };
      if (t.resolved) Object.assign(fields, { resolved: false, resolvedBy: undefined, resolvedAt: undefined });
      write({ append: comment, fields }, jsonBytes(comment) + 1 + fieldsDelta(t, fields), author.personId);
      if (!scope.caucus) logActivity(doc, author, 'thread.replied', `${author.name} replied on ${shortQuote(t)}`);
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
    const mentions = request.mentions ? checkMentions(agreement, request.mentions, me, scope) : undefined;
    const author = authorOf(me);
    let edited!: ThreadComment;
    const thread = await this.change(scope, threadId, (t, write) => {
      const index = ownComment(t, commentId, author, 'edit');
      const { mentions: was, ...rest } = t.comments[index];
      const kept = mentions ? (mentions.length ? mentions : undefined) : was;
      edited = { ...rest, body: request.body.trim(), editedAt: new Date().toISOString(), ...(kept ? { mentions: kept } : {}) };
      write(
        { replace: { index, comment: edited }, fields: remainingMentions(t, index, edited) },
        jsonBytes(edited) - jsonBytes(t.comments[index]),
        author.personId,
      );
    });
    return { thread: thread as Thread, comment: edited };
  }

  /** Deletes one's own comment; a thread whose every comment is deleted goes with it (null). */
  async delete(me: Identity, threadId: string, commentId: string, caucus: boolean): Promise<Thread | null> {
    const scope = threadScope(me, caucus);
    const author = authorOf(me);
    return this.change(scope, threadId, (t, write, doc) => {
      const index = ownComment(t, commentId, author, 'delete');
      const { mentions: _mentions, editedAt: _editedAt, ...rest } = t.comments[index];
      const deleted: ThreadComment = { ...rest, body: '', deleted: true, deletedAt: new Date().toISOString() };
      if (t.comments.every((c, i) => i === index || c.deleted)) {
        if (!scope.caucus) logActivity(doc, author, 'thread.deleted', `${author.name} deleted their thread on ${shortQuote(t)}`);
        write({ remove: true }, 0);
        return;
      }
      write(
        { replace: { index, comment: deleted }, fields: remainingMentions(t, index, deleted) },
        jsonBytes(deleted) - jsonBytes(t.comments[index]),
        author.personId,
      );
    });
  }

  /** Resolves or reopens a thread (doing it twice changes nothing). */
  async setResolved(me: Identity, threadId: string, resolved: boolean, caucus: boolean): Promise<Thread> {
    const scope = threadScope(me, caucus);
    const author = authorOf(me);
    const thread = await this.change(scope, threadId, (t, write, doc) => {
      const allowed = resolved ? threadAuth.canResolveThread(me, t) : threadAuth.canReopenThread(me, t);
      if (!allowed)
        throw forbidden(ErrorCode.Forbidden, `only the thread's author, their party or the broker can ${resolved ? 'resolve' : 'reopen'} it; reply instead`);
      if (t.resolved === resolved) return;
      const fields: Partial<Thread> = resolved
        ? { resolved, resolvedBy: author, resolvedAt: new Date().toISOString() }
        : { resolved, resolvedBy: undefined, resolvedAt: undefined };
      write({ fields }, fieldsDelta(t, fields));
      if (!scope.caucus) {
        logActivity(
          doc,
          author,
          resolved ? 'thread.resolved' : 'thread.reopened',
          `${author.name} ${resolved ? 'resolved' : 'reopened'} the thread on ${shortQuote(t)}`,
        );
      }
    });
    return thread as Thread;
  }

  /**
   * Reads a thread and lets `change` check it and say what to write, all in one synchronous
   * transaction: a refused change throws before anything is written, and `write` checks the
   * size caps before it writes only the parts named. Answers the thread as stored after, or
   * null when it was removed.
   */
  private change(
    scope: ThreadScope,
    threadId: string,
    change: (thread: Thread, write: (what: ThreadWrite, addedBytes: number, writer?: string) => void, doc: Y.Doc) => void,
  ): Promise<Thread | null> {
    return writeRoom(this.rooms, scope.room, (doc) => {
      const map = threadsOf(doc);
      const entry = map.get(threadId);
      if (!entry) throw notFound(ErrorCode.ThreadNotFound, 'no such thread');
      const thread = readThread(entry);
      let removed = false;
      change(
        thread,
        (what, addedBytes, writer) => {
          if (what.remove) {
            forgetThread(map, threadId);
            map.delete(threadId);
            removed = true;
            return;
          }
          admitThreadChange(map, threadId, addedBytes, writer);
          writeThread(map, threadId, what);
        },
        doc,
      );
      const after = map.get(threadId);
      return removed || !after ? null : readThread(after);
    });
  }
}

/** The thread's `mentions` when they differ from `merged`, as a field change (none otherwise). */
function mentionsChange(thread: Thread, merged: Mention[]): Partial<Thread> {
  return JSON.stringify(merged) === JSON.stringify(thread.mentions) ? {} : { mentions: merged };
}

/** The thread's mentions once comment `index` reads `comment`: every live comment's, merged. */
function remainingMentions(thread: Thread, index: number, comment: ThreadComment): Partial<Thread> {
  const comments = thread.comments.map((c, i) => (i === index ? comment : c));
  return mentionsChange(thread, mergeMentions(...comments.filter((c) => !c.deleted).map((c) => c.mentions)));
}

/** A thread or comment already under the id a request chose may be the asker's own (sent again), never another person's. */
function refuseAnotherPersons(madeBy: Author, asker: Author): void {
  if (madeBy.personId !== asker.personId) throw conflict(ErrorCode.IdTaken, 'that id is already another thread or comment; choose another');
}
