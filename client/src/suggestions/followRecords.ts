import type * as Y from 'yjs';
import { RecordsKey } from '#shared/records';
import { suggestionsOf } from '#shared/suggestionStore';
import { SUGGEST_ONLY_KEY, type SuggestOnlyState, type Suggestion } from '#shared/suggestions';
import { changedEntryIds, readEntry } from '#shared/threadStore';

/**
 * Reads the records room's suggestions (oldest first) and suggest-only into `onRead`, now and at
 * each change; returns the unsubscribe.
 */
export function followSuggestionRecords(doc: Y.Doc | null, onRead: (suggestions: Suggestion[], suggestOnly: SuggestOnlyState | null) => void): () => void {
  if (!doc) return () => {};
  const map = suggestionsOf(doc);
  const meta = doc.getMap<unknown>(RecordsKey.meta);
  // A suggestion's replies and decision are nested types: follow them deeply. An unchanged
  // suggestion keeps its object, so what shows it need not render again.
  let previous = new Map<string, Suggestion>();
  const read = (changed?: Set<string>) => {
    const next = new Map<string, Suggestion>();
    for (const [id, entry] of map.entries()) {
      const known = previous.get(id);
      next.set(id, known && changed && !changed.has(id) ? known : readEntry<Suggestion>(entry));
    }
    previous = next;
    onRead(
      [...next.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
      (meta.get(SUGGEST_ONLY_KEY) as SuggestOnlyState | undefined) ?? null,
    );
  };
  const onSuggestions = (events: Y.YEvent<Y.AbstractType<unknown>>[]) => read(changedEntryIds(events));
  const onMeta = () => read(new Set());
  read();
  map.observeDeep(onSuggestions);
  meta.observe(onMeta);
  return () => {
    map.unobserveDeep(onSuggestions);
    meta.unobserve(onMeta);
  };
}
