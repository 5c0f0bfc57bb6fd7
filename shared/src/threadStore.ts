import * as Y from 'yjs';
import { RecordsKey } from './records';
import type { Thread, ThreadAnchor, ThreadComment } from './threads';

/**
 * How threads are kept in a records or caucus room's `threads` map: each thread is a
 * Y.Map of its fields whose `comments` is a Y.Array of plain comments. A reply appends one
 * comment, an edit or delete replaces one, a resolve sets two fields: each change writes
 * only itself (a thread kept as one plain value was rewritten whole on every reply, which
 * grew the log quadratically). `threads.toJSON()` still gives the plain {@link Thread} shape.
 * Rooms stored before this shape hold plain Thread values until their load migrates them,
 * so every reader here accepts both.
 */

/** One stored thread: the Thread's fields, `comments` being a Y.Array of plain comments. */
export type StoredThread = Y.Map<unknown>;

/** A value of the threads map: a stored thread, or a plain Thread of the earlier shape. */
export type ThreadEntry = StoredThread | Thread;

/** Key of a stored thread that holds its comments. */
const COMMENTS = 'comments';

export function threadsOf(doc: Y.Doc): Y.Map<ThreadEntry> {
  return doc.getMap<ThreadEntry>(RecordsKey.threads);
}

export function isStoredThread(entry: unknown): entry is StoredThread {
  return entry instanceof Y.Map;
}

/** The thread as plain JSON (comments included), from either shape. */
export function readThread(entry: ThreadEntry): Thread {
  return isStoredThread(entry) ? (entry.toJSON() as Thread) : entry;
}

/** Every thread of a room, as plain JSON. */
export function readThreads(doc: Y.Doc): Thread[] {
  return [...threadsOf(doc).values()].map(readThread);
}

/** A thread's anchor without reading its comments (the anchor keeper checks every thread on each edit). */
export function threadAnchor(entry: ThreadEntry): ThreadAnchor | undefined {
  return isStoredThread(entry) ? (entry.get('anchor') as ThreadAnchor | undefined) : entry.anchor;
}

/** The comments of a stored thread, in order. */
export function storedComments(thread: StoredThread): Y.Array<ThreadComment> {
  return thread.get(COMMENTS) as Y.Array<ThreadComment>;
}

/** A new stored thread holding `thread` (to put into the threads map). */
export function toStoredThread(thread: Thread): StoredThread {
  const { comments, ...fields } = thread;
  const stored = new Y.Map<unknown>(Object.entries(fields).filter(([, value]) => value !== undefined));
  stored.set(COMMENTS, Y.Array.from(comments));
  return stored;
}

/**
 * The ids of the threads a transaction on the threads map changed, from `observeDeep`'s
 * events: a thread's own key for an added or removed thread, the first step of the path
 * for a change inside one.
 */
export function changedThreadIds(events: Y.YEvent<Y.AbstractType<unknown>>[]): Set<string> {
  const ids = new Set<string>();
  for (const event of events) {
    const [first] = event.path;
    if (typeof first === 'string') ids.add(first);
    else for (const key of event.keys.keys()) ids.add(key);
  }
  return ids;
}

/** Moves a thread's anchor (the server's anchor repairs), writing only the anchor. */
export function setThreadAnchor(threads: Y.Map<ThreadEntry>, threadId: string, anchor: ThreadAnchor): void {
  const entry = threads.get(threadId);
  if (!entry) return;
  if (isStoredThread(entry)) entry.set('anchor', anchor);
  else threads.set(threadId, { ...entry, anchor });
}

/** Rewrites every thread of the earlier shape (one plain value) as a stored thread; answers how many. */
export function migrateThreads(doc: Y.Doc): number {
  const threads = threadsOf(doc);
  let migrated = 0;
  for (const [id, entry] of [...threads.entries()]) {
    if (isStoredThread(entry) || typeof entry !== 'object' || entry === null || !Array.isArray((entry as Partial<Thread>).comments)) continue;
    threads.set(id, toStoredThread(entry));
    migrated++;
  }
  return migrated;
}
