import type { AgreementView } from '#shared/protocol';
import { getAgreement } from '../api';
import { linkToOpen } from '../links';
import { loadMessageLimit } from '../session/messageLimit';

/** Answers asked for before the agreement page's code had loaded, by agreement and token. */
const early = new Map<string, Promise<AgreementView>>();
const keyOf = (id: string, token: string) => `${id} ${token}`;

/**
 * Starts what opening an agreement waits for, from the entry chunk: the agreement's answer and the
 * server's message limit are asked for at once, and the text's live session opens as soon as its
 * code and a good answer are in, while React still renders the page (issue 17: until then the
 * websocket was asked for only once the page had rendered and the limit had come).
 */
export function prefetchAgreement(id: string): void {
  const { token, offered } = linkToOpen(id);
  // Another person's link waits for the person's choice: nothing opens before it.
  if (!token || offered || early.has(keyOf(id, token))) return;
  const answer = getAgreement(id, token);
  // Whoever takes it handles a failure; until then it must not count as unhandled.
  answer.catch(() => {});
  early.set(keyOf(id, token), answer);
  void loadMessageLimit();
  // Only for an answer that lets this person in: a refused link opens nothing.
  Promise.all([import('../session/earlySession'), answer])
    .then(([session]) => session.openSessionEarly(id, token))
    .catch(() => {});
}

/** The early answer for this agreement and token, if one was asked for (taken once). */
export function takePrefetchedAgreement(id: string, token: string): Promise<AgreementView> | undefined {
  const answer = early.get(keyOf(id, token));
  early.delete(keyOf(id, token));
  return answer;
}
