import type * as Y from 'yjs';
import type { Identity } from '#shared/protocol';
import { RecordsKey } from '#shared/records';
import { SUGGEST_ONLY_KEY, type Suggestion } from '#shared/suggestions';

export const OWN_ACCEPTANCE_REFUSED = 'while the agreement is suggest-only, a suggestion is accepted by someone other than the person who made it';

/**
 * Whether `me` would accept their own suggestion while the agreement is suggest-only: the broker
 * made it so that every change passes another person's eyes, and its author accepting it at once
 * made it a direct edit nobody else had seen. Withdrawing it (rejecting) stays theirs.
 */
export function acceptsOwnWhileSuggestOnly(records: Y.Doc, s: Suggestion, me: Identity): boolean {
  return s.author.personId === me.personId && records.getMap<unknown>(RecordsKey.meta).get(SUGGEST_ONLY_KEY) !== undefined;
}
