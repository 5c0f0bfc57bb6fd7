import type * as Y from 'yjs';
import { ErrorCode } from '#shared/errors';
import { changedEntryIds, readEntry, type Entry, type ThreadEntry } from '#shared/threadStore';
import type { Author } from '#shared/records';
import { MAX_COMMENTS_PER_THREAD, type Thread, type ThreadComment } from '#shared/threads';
import { AppError, conflict } from '../../errors';

/**
 * Size caps on comment threads, in bytes of their JSON. A reply now writes only itself, so
 * these no longer bound the cost of a write; they bound what is sent whole: one thread is in
 * every reply's answer and every `GET /threads` (2 MB is about 400 replies of 5,000
 * characters, beyond the 500-comment count cap only for long or non-Latin text), and every
 * client syncs all threads of the room when it opens (8 MB).
 */
export const MAX_THREAD_BYTES = 2 * 1024 * 1024;
/** Largest all threads of one room (the shared records, or one caucus) may grow, as JSON. */
export const MAX_ROOM_THREAD_BYTES = 8 * 1024 * 1024;
/** Most threads one room holds. */
export const MAX_THREADS = 5000;

/**
 * Share of each cap one person may hold (bytes, by who wrote them; records, by who started
 * them): the caps are for everyone together, and one person's loop must not fill them for the
 * rest. A person at their share can still delete, be answered and have their records decided.
 */
export const PERSON_SHARE = 1 / 4;

/**
 * Share of one record's own caps (its comments, its bytes) one person may write there: half, so that
 * the others can always answer in it; past it, they start a new thread.
 */
export const ENTRY_SHARE = 1 / 2;

/** Refuses (409 `code`) one more comment by `personId` in a record where they wrote their half of the comments. */
export function admitReplyCount(comments: readonly ThreadComment[], personId: string, code: ErrorCode): void {
  const most = Math.floor(MAX_COMMENTS_PER_THREAD * ENTRY_SHARE);
  if (comments.filter((comment) => comment.author.personId === personId).length >= most)
    throw conflict(
      code,
      `you wrote ${most} of this thread's comments, half of this thread's ${MAX_COMMENTS_PER_THREAD}: the others need room to answer; start a new thread`,
    );
}

/** One record's bytes, split by who wrote them: each reply to its author, the rest to whoever started it. */
interface EntrySize {
  owner: string;
  byPerson: Map<string, number>;
}

interface Sizes {
  byEntry: Map<string, EntrySize>;
  total: number;
  byPerson: Map<string, number>;
  /** Records each person started. */
  started: Map<string, number>;
  /** Records this transaction's admitted changes already counted. */
  counted: Set<string>;
}

/** Bytes of a value as JSON (0 for undefined, as an absent field). */
export function jsonBytes(value: unknown): number {
  return value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value));
}

/** A record with a reply thread. */
interface WithReplies {
  comments: ThreadComment[];
}

/** The caps of one kind of record with a reply thread, and what a refusal says. */
export interface EntryCaps<T> {
  entryBytes: number;
  roomBytes: number;
  /** Most records of the kind one room holds (checked by the service; here for each person's share of it). */
  maxEntries: number;
  entryFull: string;
  roomFull: string;
  /** The records in a refusal of a person's share: "comments", "suggestions". */
  noun: string;
  /** Who started a record (holds its bytes but its replies'). */
  ownerOf: (entry: T) => Author;
}

function add(map: Map<string, number>, key: string, delta: number): void {
  const next = (map.get(key) ?? 0) + delta;
  if (next === 0) map.delete(key);
  else map.set(key, next);
}

/** Mebibytes for a message, to one decimal where needed. */
const mb = (bytes: number) => `${Math.round((bytes / 1048576) * 10) / 10} MB`;

/**
 * Size caps, in bytes of JSON, on the records of one map whose entries carry reply threads
 * (threads, suggestions): each map's sizes are counted once per load and kept up to date by
 * {@link EntryBudget.admit}, for the room and for each person (see {@link PERSON_SHARE}).
 */
export class EntryBudget<T extends WithReplies> {
  private readonly sizes = new WeakMap<Y.Map<Entry<T>>, Sizes>();

  constructor(private readonly caps: EntryCaps<T>) {}

  private measure(entry: T): EntrySize {
    const byPerson = new Map<string, number>();
    let rest = jsonBytes(entry);
    for (const comment of entry.comments) {
      const bytes = jsonBytes(comment) + 1;
      add(byPerson, comment.author.personId, bytes);
      rest -= bytes;
    }
    const owner = this.caps.ownerOf(entry).personId;
    add(byPerson, owner, rest);
    return { owner, byPerson };
  }

  private place(known: Sizes, id: string, size: EntrySize | undefined): void {
    const was = known.byEntry.get(id);
    if (was) {
      for (const [person, bytes] of was.byPerson) {
        add(known.byPerson, person, -bytes);
        known.total -= bytes;
      }
      add(known.started, was.owner, -1);
      known.byEntry.delete(id);
    }
    if (size) {
      for (const [person, bytes] of size.byPerson) {
        add(known.byPerson, person, bytes);
        known.total += bytes;
      }
      add(known.started, size.owner, 1);
      known.byEntry.set(id, size);
    }
  }

  private sizesOf(map: Y.Map<Entry<T>>): Sizes {
    let known = this.sizes.get(map);
    if (!known) {
      const own: Sizes = { byEntry: new Map(), total: 0, byPerson: new Map(), started: new Map(), counted: new Set() };
      for (const [id, entry] of map.entries()) this.place(own, id, this.measure(readEntry(entry)));
      // Writes that did not come through admit (anchor repairs, a migration) are counted afresh.
      map.observeDeep((events) => {
        for (const id of changedEntryIds(events)) {
          if (own.counted.has(id)) continue;
          const entry = map.get(id);
          this.place(own, id, entry ? this.measure(readEntry(entry)) : undefined);
        }
        own.counted.clear();
      });
      this.sizes.set(map, own);
      known = own;
    }
    return known;
  }

  /**
   * Checks that `person` may start one more record (409 `code` past their share of the count),
   * and that its bytes fit (see {@link admit}), then counts it. The room's own count cap is the
   * service's to check.
   */
  admitNew(map: Y.Map<Entry<T>>, id: string, entry: T, code: ErrorCode): void {
    const known = this.sizesOf(map);
    const owner = this.caps.ownerOf(entry).personId;
    const most = Math.floor(this.caps.maxEntries * PERSON_SHARE);
    if ((known.started.get(owner) ?? 0) >= most)
      throw conflict(
        code,
        `you started ${most} of this agreement's ${this.caps.noun}, your share of the ${this.caps.maxEntries} it may hold: others need room too`,
      );
    this.check(known, id, jsonBytes(entry), owner);
    known.counted.add(id);
    this.place(known, id, this.measure(entry));
  }

  /**
   * Checks that growing record `id` by `delta` bytes keeps the record and the room under their
   * caps, and `writer`'s bytes under their share (413 otherwise), then counts it. Without a
   * writer (a change of the record's own fields, such as resolving it) the bytes are its
   * starter's and no share is checked: nobody is refused for what another person wrote. Call
   * inside the write's transaction, before writing: Yjs cannot take a write back.
   */
  admit(map: Y.Map<Entry<T>>, id: string, delta: number, writer?: string): void {
    const known = this.sizesOf(map);
    this.check(known, id, delta, writer);
    this.count(map, id, delta, writer);
  }

  private check(known: Sizes, id: string, delta: number, writer: string | undefined): void {
    if (delta <= 0) return;
    const size = [...(known.byEntry.get(id)?.byPerson.values() ?? [])].reduce((a, b) => a + b, 0) + delta;
    if (size > this.caps.entryBytes) throw new AppError(413, ErrorCode.ThreadsTooLarge, this.caps.entryFull);
    const half = this.caps.entryBytes * ENTRY_SHARE;
    if (writer !== undefined && (known.byEntry.get(id)?.byPerson.get(writer) ?? 0) + delta > half)
      throw new AppError(
        413,
        ErrorCode.ThreadsTooLarge,
        `your comments take up half of this thread's space (${mb(half)} of ${mb(this.caps.entryBytes)}): the others need room to answer; start a new thread`,
      );
    if (known.total + delta > this.caps.roomBytes) throw new AppError(413, ErrorCode.ThreadsTooLarge, this.caps.roomFull);
    const share = this.caps.roomBytes * PERSON_SHARE;
    if (writer !== undefined && (known.byPerson.get(writer) ?? 0) + delta > share)
      throw new AppError(
        413,
        ErrorCode.ThreadsTooLarge,
        `your ${this.caps.noun} in this agreement take up your share of their space (${mb(share)} of ${mb(this.caps.roomBytes)}): others need room too; delete some of yours to write more`,
      );
  }

  /** Counts growing record `id` by `delta` bytes without checking (a change that must not be refused, small and once per record); `writer` as in {@link admit}. */
  count(map: Y.Map<Entry<T>>, id: string, delta: number, writer?: string): void {
    const known = this.sizesOf(map);
    const size = known.byEntry.get(id);
    const person = writer ?? size?.owner ?? '';
    if (size) add(size.byPerson, person, delta);
    add(known.byPerson, person, delta);
    known.total += delta;
    known.counted.add(id);
  }

  /** Forgets a removed record's size. */
  forget(map: Y.Map<Entry<T>>, id: string): void {
    const known = this.sizesOf(map);
    this.place(known, id, undefined);
    known.counted.add(id);
  }
}

const threadBudget = new EntryBudget<Thread>({
  entryBytes: MAX_THREAD_BYTES,
  roomBytes: MAX_ROOM_THREAD_BYTES,
  maxEntries: MAX_THREADS,
  noun: 'comments',
  ownerOf: (thread) => thread.createdBy,
  entryFull: `this thread is at its size limit (${MAX_THREAD_BYTES / 1048576} MB): start a new thread`,
  roomFull: `this agreement's comments are at their size limit (${MAX_ROOM_THREAD_BYTES / 1048576} MB)`,
});

/** Bytes a change of a record's fields adds (negative when it shrinks). */
export function fieldsDelta<T extends object>(thread: T, fields: Partial<T>): number {
  let delta = 0;
  for (const [key, value] of Object.entries(fields)) {
    const was = thread[key as keyof T];
    delta += (value === undefined ? 0 : jsonBytes(key) + 2 + jsonBytes(value)) - (was === undefined ? 0 : jsonBytes(key) + 2 + jsonBytes(was));
  }
  return delta;
}

/** Checks and counts a new thread: its starter's share of the threads, and its bytes (see {@link EntryBudget.admitNew}). */
export function admitNewThread(map: Y.Map<ThreadEntry>, thread: Thread): void {
  threadBudget.admitNew(map, thread.id, thread, ErrorCode.TooManyThreads);
}

/** Checks and counts growing thread `id` by `delta` bytes, written by `writer` (see {@link EntryBudget.admit}). */
export function admitThreadChange(map: Y.Map<ThreadEntry>, id: string, delta: number, writer?: string): void {
  threadBudget.admit(map, id, delta, writer);
}

/** Forgets a removed thread's size. */
export function forgetThread(map: Y.Map<ThreadEntry>, id: string): void {
  threadBudget.forget(map, id);
}
