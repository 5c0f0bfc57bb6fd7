import type { BulkDecisionRequest, BulkDecisionResult, CreateSuggestionRequest, SuggestOnlyState, Suggestion } from '#shared/suggestions';
import type { ThreadComment } from '#shared/threads';
import { download, request } from '../api';

/** Suggestion commands: the server checks and writes them; the change arrives through the records room. */
const base = (id: string) => `/api/agreements/${encodeURIComponent(id)}`;

/** Downloads the open suggestions over the live text as a Word document of tracked changes, each by its suggester. */
export function downloadSuggestionsRedline(id: string, token: string): Promise<void> {
  return download(`${base(id)}/redline`, token);
}

export function createSuggestion(id: string, token: string, body: CreateSuggestionRequest): Promise<{ suggestion: Suggestion }> {
  return request('POST', `${base(id)}/suggestions`, { token, body });
}

export function decideSuggestion(id: string, token: string, suggestionId: string, decision: 'accept' | 'reject'): Promise<{ suggestion: Suggestion }> {
  return request('POST', `${base(id)}/suggestions/${encodeURIComponent(suggestionId)}/${decision}`, { token });
}

export function decideAll(id: string, token: string, filter: BulkDecisionRequest, decision: 'accept' | 'reject'): Promise<BulkDecisionResult> {
  return request('POST', `${base(id)}/suggestions/${decision}-all`, { token, body: filter });
}

export function replyToSuggestion(id: string, token: string, suggestionId: string, body: string): Promise<{ suggestion: Suggestion; comment: ThreadComment }> {
  return request('POST', `${base(id)}/suggestions/${encodeURIComponent(suggestionId)}/comments`, { token, body: { body } });
}

export function setSuggestOnly(id: string, token: string, on: boolean): Promise<{ suggestOnly: SuggestOnlyState | null }> {
  return request('PUT', `${base(id)}/suggest-only`, { token, body: { on } });
}
