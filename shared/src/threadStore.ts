import * as Y from 'yjs';
import { RecordsKey } from './records';
import type { Thread, ThreadAnchor, ThreadComment } from './threads';

/**
 * How records with a reply thread are kept in a room: each one (a comment thread in the
 * `threads` map, a suggestion in the `suggestions` map) is a Y.Map of its fields whose
 * `comments` is a Y.Array of plain comments. A reply appends one comment, an edit or delete
 * replaces one, a resolve or a decision sets a few fields: each change writes only itself (a
 * record kept as one plain value was rewritten whole on every reply, which grew the log
 * quadratically). The map's `toJSON()` still gives the plain shapes ({@link Thread}, Suggestion).
 * Rooms stored before this shape hold plain values until their load migrates them, so every
 * reader here accepts both.
 */

/** One stored record: its fields, `comments` being a Y.Array of plain comments. */
export type StoredEntry = Y.Map<unknown>;
/** A value of such a map: a stored record, or a plain value of the earlier shape. */
export type Entry<T> = StoredEntry | T;

/** One stored thread: the Thread's fields, `comments` being a Y.Array of plain comments. */
export type StoredThread = StoredEntry;

/** A value of the threads map: a stored thread, or a plain Thread of the earlier shape. */
export type ThreadEntry = Entry<Thread>;

/** Key of a stored record that holds its comments. */
const COMMENTS = 'comments';

export function isStoredEntry(entry: unknown): entry is StoredEntry {
  return entry instanceof Y.Map;
}

/** The record as plain JSON (comments included), from either shape. */
export function readEntry<T>(entry: Entry<T>): T {
  return isStoredEntry(entry) ? (entry.toJSON() as T) : entry;
}

/** The comments of a stored record, in order. */
export function storedComments<C = ThreadComment>(stored: StoredEntry): Y.Array<C> {
  return stored.get(COMMENTS) as Y.Array<C>;
}

/** A new stored record holding `value` (to put into its map). */
export function toStoredEntry<T extends { comments: object[] }>(value: T): StoredEntry {
  const { comments, ...fields } = value;
  const stored = new Y.Map<unknown>(Object.entries(fields).filter(([, field]) => field !== undefined));
  stored.set(COMMENTS, Y.Array.from(comments));
  return stored;
}

/**
 * The ids of the records a transaction on their map changed, from `observeDeep`'s events:
 * a record's own key for an added or removed one, the first step of the path for a change
 * inside one.
 */
export function changedEntryIds(events: Y.YEvent<Y.AbstractType<unknown>>[]): Set<string> {
  const ids = new Set<string>();
  for (const event of events) {
    const [first] = event.path;
    if (typeof first === 'string') ids.add(first);
    else for (const key of event.keys.keys()) ids.add(key);
  }
  return ids;
}

/** Rewrites every record of the earlier shape (one plain value with `comments`) as a stored one; answers how many. */
export function migrateEntries<T extends { comments: object[] }>(map: Y.Map<Entry<T>>): number {
  let migrated = 0;
  for (const [id, entry] of [...map.entries()]) {
    if (isStoredEntry(entry) || typeof entry !== 'object' || entry === null || !Array.isArray((entry as { comments?: unknown }).comments)) continue;
    map.set(id, toStoredEntry(entry));
    migrated++;
  }
  return migrated;
}

export const isStoredThread: (entry: unknown) => entry is StoredThread = isStoredEntry;
export const readThread: (entry: ThreadEntry) => Thread = readEntry;
export const toStoredThread: (thread: Thread) => StoredThread = toStoredEntry;
export const changedThreadIds = changedEntryIds;

export function threadsOf(doc: Y.Doc): Y.Map<ThreadEntry> {
  return doc.getMap<ThreadEntry>(RecordsKey.threads);
}

/** Every thread of a room, as plain JSON. */
export function readThreads(doc: Y.Doc): Thread[] {
  return [...threadsOf(doc).values()].map(readThread);
}

/** A thread's anchor without reading its comments (the anchor keeper checks every thread on each edit). */
export function threadAnchor(entry: ThreadEntry): ThreadAnchor | undefined {
  return isStoredThread(entry) ? (entry.get('anchor') as ThreadAnchor | undefined) : entry.anchor;
}

/** The text a thread was started on, without reading its comments ('' for a note). */
export function threadQuote(entry: ThreadEntry): string {
  const quote = isStoredThread(entry) ? entry.get('quote') : entry.quote;
  return typeof quote === 'string' ? quote : '';
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
  return migrateEntries(threadsOf(doc));
}
