import type * as Y from 'yjs';
import { RecordsKey } from './records';
import type { Suggestion } from './suggestions';
import { migrateEntries, readEntry, type Entry } from './threadStore';

/**
 * How suggestions are kept in the records room's `suggestions` map: as comment threads are
 * (see `./threadStore`), each a Y.Map of its fields whose `comments` is a Y.Array, so a reply
 * or a decision writes only itself. `toJSON()` still gives the plain {@link Suggestion}.
 */

/** A value of the suggestions map: a stored suggestion, or a plain Suggestion of the earlier shape. */
export type SuggestionEntry = Entry<Suggestion>;

export function suggestionsOf(doc: Y.Doc): Y.Map<SuggestionEntry> {
  return doc.getMap<SuggestionEntry>(RecordsKey.suggestions);
}

/** Every suggestion of a room, as plain JSON. */
export function readSuggestions(doc: Y.Doc): Suggestion[] {
  return [...suggestionsOf(doc).values()].map((entry) => readEntry<Suggestion>(entry));
}

/** Rewrites every suggestion of the earlier shape (one plain value) as a stored one; answers how many. */
export function migrateSuggestions(doc: Y.Doc): number {
  return migrateEntries(suggestionsOf(doc));
}
