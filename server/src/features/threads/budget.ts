import type * as Y from 'yjs';
import { ErrorCode } from '#shared/errors';
import { changedThreadIds, readThread, type ThreadEntry } from '#shared/threadStore';
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
  byThread: Map<string, number>;
  total: number;
  /** Threads this transaction's admitted changes already counted. */
  counted: Set<string>;
}

/** Each threads map's sizes, counted once per load and kept up to date by {@link admitThreadChange}. */
const sizes = new WeakMap<Y.Map<ThreadEntry>, Sizes>();

/** Bytes of a value as JSON (0 for undefined, as an absent field). */
export function jsonBytes(value: unknown): number {
  return value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value));
}

function sizesOf(map: Y.Map<ThreadEntry>): Sizes {
  let known = sizes.get(map);
  if (!known) {
    const byThread = new Map([...map.entries()].map(([id, entry]) => [id, jsonBytes(readThread(entry))]));
    const counted = new Set<string>();
    const own: Sizes = { byThread, total: [...byThread.values()].reduce((a, b) => a + b, 0), counted };
    // Writes that did not come through admitThreadChange (anchor repairs, a migration) are counted afresh.
    map.observeDeep((events) => {
      for (const id of changedThreadIds(events)) {
        if (counted.has(id)) continue;
        const entry = map.get(id);
        const size = entry ? jsonBytes(readThread(entry)) : 0;
        own.total += size - (byThread.get(id) ?? 0);
        if (entry) byThread.set(id, size);
        else byThread.delete(id);
      }
      counted.clear();
    });
    sizes.set(map, own);
    known = own;
  }
  return known;
}

/** Bytes a change of a thread's fields adds (negative when it shrinks). */
export function fieldsDelta(thread: Thread, fields: Partial<Thread>): number {
  let delta = 0;
  for (const [key, value] of Object.entries(fields)) {
    const was = thread[key as keyof Thread];
    delta += (value === undefined ? 0 : jsonBytes(key) + 2 + jsonBytes(value)) - (was === undefined ? 0 : jsonBytes(key) + 2 + jsonBytes(was));
  }
  return delta;
}

/**
 * Checks that growing thread `id` by `delta` bytes keeps it and the room under their caps
 * (413 otherwise), then counts it. Call inside the write's transaction, before writing:
 * Yjs cannot take a write back.
 */
export function admitThreadChange(map: Y.Map<ThreadEntry>, id: string, delta: number): void {
  const known = sizesOf(map);
  const size = (known.byThread.get(id) ?? 0) + delta;
  if (delta > 0 && size > MAX_THREAD_BYTES)
    throw new AppError(413, ErrorCode.ThreadsTooLarge, `this thread is at its size limit (${MAX_THREAD_BYTES / 1048576} MB): start a new thread`);
  if (delta > 0 && known.total + delta > MAX_ROOM_THREAD_BYTES)
    throw new AppError(413, ErrorCode.ThreadsTooLarge, `this agreement's comments are at their size limit (${MAX_ROOM_THREAD_BYTES / 1048576} MB)`);
  known.byThread.set(id, size);
  known.total += delta;
  known.counted.add(id);
}

/** Forgets a removed thread's size. */
export function forgetThread(map: Y.Map<ThreadEntry>, id: string): void {
  const known = sizesOf(map);
  known.total -= known.byThread.get(id) ?? 0;
  known.byThread.delete(id);
  known.counted.add(id);
}
