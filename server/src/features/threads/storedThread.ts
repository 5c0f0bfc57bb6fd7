import type * as Y from 'yjs';
import { isStoredEntry, storedComments, toStoredEntry, type Entry, type StoredEntry } from '#shared/threadStore';
import type { Thread, ThreadComment } from '#shared/threads';

/** What one command writes into a record with a reply thread (a thread, a suggestion): only these parts change. */
export interface EntryWrite<T extends { comments: ThreadComment[] }> {
  /** A new comment at the end. */
  append?: ThreadComment;
  /** Comment `index` now reads `comment` (an edit, or a delete's marker). */
  replace?: { index: number; comment: ThreadComment };
  /** Fields to set; an undefined value removes the field. */
  fields?: Partial<T>;
  /** The whole record goes. */
  remove?: boolean;
}

/** What one thread command writes. */
export type ThreadWrite = EntryWrite<Thread>;

/** The stored record of `id`, one of the earlier shape being rewritten as one first. */
function storedEntry<T extends { comments: ThreadComment[] }>(map: Y.Map<Entry<T>>, id: string): StoredEntry {
  const entry = map.get(id);
  if (!entry) throw new Error(`no record ${id}`);
  if (isStoredEntry(entry)) return entry;
  const stored = toStoredEntry(entry);
  map.set(id, stored);
  return stored;
}

/** Writes `what` into record `id` (inside the caller's transaction), touching nothing else. */
export function writeEntry<T extends { comments: ThreadComment[] }>(map: Y.Map<Entry<T>>, id: string, what: EntryWrite<T>): void {
  if (what.remove) {
    map.delete(id);
    return;
  }
  const stored = storedEntry(map, id);
  const comments = storedComments<ThreadComment>(stored);
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

/** Writes `what` into thread `threadId`. */
export const writeThread: (map: Y.Map<Entry<Thread>>, threadId: string, what: ThreadWrite) => void = writeEntry;
