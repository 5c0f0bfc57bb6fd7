import type { CreateSuggestionRequest } from '#shared/suggestions';
import { ApiError } from '../api';
import { createSuggestion } from './api';

/**
 * Records a suggestion on the server. Answers what the suggesting bar says when it was not recorded, or null when it
 * was. `request` is built here, inside the catch: a passage that cannot be anchored any more (a RangeError) is said
 * as not recorded, as a refusal by the server is.
 */
export async function recordSuggestion(agreementId: string, token: string, request: () => CreateSuggestionRequest): Promise<string | null> {
  try {
    await createSuggestion(agreementId, token, request());
    return null;
  } catch (err) {
    return err instanceof ApiError ? `The suggestion was not recorded: ${err.message}` : 'The suggestion was not recorded.';
  }
}
