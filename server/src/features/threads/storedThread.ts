import type * as Y from 'yjs';
import { isStoredThread, storedComments, toStoredThread, type StoredThread, type ThreadEntry } from '#shared/threadStore';
import type { Thread, ThreadComment } from '#shared/threads';

/** What one thread command writes: only these parts of the stored thread change. */
export interface ThreadWrite {
  /** A new comment at the end. */
  append?: ThreadComment;
  /** Comment `index` now reads `comment` (an edit, or a delete's marker). */
  replace?: { index: number; comment: ThreadComment };
  /** Thread fields to set; an undefined value removes the field. */
  fields?: Partial<Thread>;
  /** The whole thread goes. */
  remove?: boolean;
}

/** The stored thread of `threadId`, a thread of the earlier shape being rewritten as one first. */
function storedThread(map: Y.Map<ThreadEntry>, threadId: string): StoredThread {
  const entry = map.get(threadId);
  if (!entry) throw new Error(`no thread ${threadId}`);
  if (isStoredThread(entry)) return entry;
  const stored = toStoredThread(entry);
  map.set(threadId, stored);
  return stored;
}

/** Writes `what` into thread `threadId` (inside the caller's transaction), touching nothing else. */
export function writeThread(map: Y.Map<ThreadEntry>, threadId: string, what: ThreadWrite): void {
  if (what.remove) {
    map.delete(threadId);
    return;
  }
  const stored = storedThread(map, threadId);
  const comments = storedComments(stored);
  if (what.append) comments.push([what.append]);
  if (what.replace) {
    comments.delete(what.replace.index, 1);
    comments.insert(what.replace.index, [what.replace.comment]);
  }
  for (const [key, value] of Object.entries(what.fields ?? {})) {
    if (key === 'comments' || key === 'id') continue;
    if (value === undefined) stored.delete(key);
    else stored.set(key, value);
  }
}
