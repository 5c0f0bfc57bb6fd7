import type * as Y from 'yjs';
import { ErrorCode } from '#shared/errors';
import { changedEntryIds, readEntry, type Entry, type ThreadEntry } from '#shared/threadStore';
import type { Thread } from '#shared/threads';
import { AppError } from '../../errors';

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

interface Sizes {
  byEntry: Map<string, number>;
  total: number;
  /** Records this transaction's admitted changes already counted. */
  counted: Set<string>;
}

/** Bytes of a value as JSON (0 for undefined, as an absent field). */
export function jsonBytes(value: unknown): number {
  return value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value));
}

/** The caps of one kind of record with a reply thread, and what a refusal says. */
export interface EntryCaps {
  entryBytes: number;
  roomBytes: number;
  entryFull: string;
  roomFull: string;
}

/**
 * Size caps, in bytes of JSON, on the records of one map whose entries carry reply threads
 * (threads, suggestions): each map's sizes are counted once per load and kept up to date by
 * {@link EntryBudget.admit}.
 */
export class EntryBudget<T> {
  private readonly sizes = new WeakMap<Y.Map<Entry<T>>, Sizes>();

  constructor(private readonly caps: EntryCaps) {}

  private sizesOf(map: Y.Map<Entry<T>>): Sizes {
    let known = this.sizes.get(map);
    if (!known) {
      const byEntry = new Map([...map.entries()].map(([id, entry]) => [id, jsonBytes(readEntry(entry))]));
      const counted = new Set<string>();
      const own: Sizes = { byEntry, total: [...byEntry.values()].reduce((a, b) => a + b, 0), counted };
      // Writes that did not come through admit (anchor repairs, a migration) are counted afresh.
      map.observeDeep((events) => {
        for (const id of changedEntryIds(events)) {
          if (counted.has(id)) continue;
          const entry = map.get(id);
          const size = entry ? jsonBytes(readEntry(entry)) : 0;
          own.total += size - (byEntry.get(id) ?? 0);
          if (entry) byEntry.set(id, size);
          else byEntry.delete(id);
        }
        counted.clear();
      });
      this.sizes.set(map, own);
      known = own;
    }
    return known;
  }

  /**
   * Checks that growing record `id` by `delta` bytes keeps it and the room under their caps
   * (413 otherwise), then counts it. Call inside the write's transaction, before writing:
   * Yjs cannot take a write back.
   */
  admit(map: Y.Map<Entry<T>>, id: string, delta: number): void {
    const known = this.sizesOf(map);
    const size = (known.byEntry.get(id) ?? 0) + delta;
    if (delta > 0 && size > this.caps.entryBytes) throw new AppError(413, ErrorCode.ThreadsTooLarge, this.caps.entryFull);
    if (delta > 0 && known.total + delta > this.caps.roomBytes) throw new AppError(413, ErrorCode.ThreadsTooLarge, this.caps.roomFull);
    this.count(map, id, delta);
  }

  /** Counts growing record `id` by `delta` bytes without checking (a change that must not be refused, small and once per record). */
  count(map: Y.Map<Entry<T>>, id: string, delta: number): void {
    const known = this.sizesOf(map);
    known.byEntry.set(id, (known.byEntry.get(id) ?? 0) + delta);
    known.total += delta;
    known.counted.add(id);
  }

  /** Forgets a removed record's size. */
  forget(map: Y.Map<Entry<T>>, id: string): void {
    const known = this.sizesOf(map);
    known.total -= known.byEntry.get(id) ?? 0;
    known.byEntry.delete(id);
    known.counted.add(id);
  }
}

const threadBudget = new EntryBudget<Thread>({
  entryBytes: MAX_THREAD_BYTES,
  roomBytes: MAX_ROOM_THREAD_BYTES,
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

/** Checks and counts growing thread `id` by `delta` bytes (see {@link EntryBudget.admit}). */
export function admitThreadChange(map: Y.Map<ThreadEntry>, id: string, delta: number): void {
  threadBudget.admit(map, id, delta);
}

/** Forgets a removed thread's size. */
export function forgetThread(map: Y.Map<ThreadEntry>, id: string): void {
  threadBudget.forget(map, id);
}
