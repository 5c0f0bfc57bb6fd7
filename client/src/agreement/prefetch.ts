import type { AgreementView } from '#shared/protocol';
import { getAgreement } from '../api';
import { heldToken, tokenFromHash } from '../links';

/** Answers asked for before the agreement page's code had loaded, by agreement and token. */
const early = new Map<string, Promise<AgreementView>>();
const keyOf = (id: string, token: string) => `${id} ${token}`;

/**
 * Asks for the agreement from the entry chunk, while the editor's chunk is still loading,
 * so the page does not wait for one and then the other.
 */
export function prefetchAgreement(id: string): void {
  const token = tokenFromHash() ?? heldToken(id);
  if (!token || early.has(keyOf(id, token))) return;
  const answer = getAgreement(id, token);
  // Whoever takes it handles a failure; until then it must not count as unhandled.
  answer.catch(() => {});
  early.set(keyOf(id, token), answer);
}

/** The early answer for this agreement and token, if one was asked for (taken once). */
export function takePrefetchedAgreement(id: string, token: string): Promise<AgreementView> | undefined {
  const answer = early.get(keyOf(id, token));
  early.delete(keyOf(id, token));
  return answer;
}
