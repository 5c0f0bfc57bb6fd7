import type * as Y from 'yjs';
import type { Thread } from '#shared/threads';
import { ErrorCode } from '#shared/errors';
import { AppError } from '../../errors';

/** Largest one thread may grow, as JSON: each change rewrites the whole thread, so this bounds a reply's cost. */
export const MAX_THREAD_BYTES = 256 * 1024;
/** Largest all threads of one room (the shared records, or one caucus) may grow, as JSON. */
export const MAX_ROOM_THREAD_BYTES = 8 * 1024 * 1024;

/** Each threads map's thread sizes, counted once and kept up to date by {@link admitThread}. */
const sizes = new WeakMap<Y.Map<Thread>, Map<string, number>>();

function sizesOf(map: Y.Map<Thread>): Map<string, number> {
  let known = sizes.get(map);
  if (!known) {
    known = new Map([...map.entries()].map(([id, thread]) => [id, JSON.stringify(thread).length]));
    sizes.set(map, known);
  }
  return known;
}

/**
 * Checks that writing `next` as thread `id` keeps the thread and the room under their
 * limits (413 otherwise), and counts it. Call right before the write, inside its transaction.
 */
export function admitThread(map: Y.Map<Thread>, id: string, next: Thread | null): void {
  const known = sizesOf(map);
  const size = next === null ? 0 : JSON.stringify(next).length;
  if (size > MAX_THREAD_BYTES)
    throw new AppError(413, ErrorCode.ThreadsTooLarge, `this thread is at its size limit (${MAX_THREAD_BYTES / 1024} KB): start a new thread`);
  let total = size;
  for (const [other, bytes] of known) if (other !== id) total += bytes;
  if (total > MAX_ROOM_THREAD_BYTES)
    throw new AppError(413, ErrorCode.ThreadsTooLarge, `this agreement's comments are at their size limit (${MAX_ROOM_THREAD_BYTES / 1048576} MB)`);
  if (next === null) known.delete(id);
  else known.set(id, size);
}
