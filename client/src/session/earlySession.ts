import { openSession, type CollabSession } from './openSession';

/**
 * The text's session, opened as soon as this code and the agreement's answer are both in, before
 * React has rendered the page (issue 17, cold load). The websocket's handshake and the server's
 * copy of the text then arrive while the page renders, not after it. The page's session hook takes
 * it (once); one it never takes is closed when the page goes (discardEarlySession).
 */
const early = new Map<string, { token: string; session: CollabSession }>();
/** Agreements whose page has opened its own session: one opened early now would be a second. */
const claimed = new Set<string>();

export function openSessionEarly(agreementId: string, token: string): void {
  if (claimed.has(agreementId) || early.has(agreementId)) return;
  early.set(agreementId, { token, session: openSession(agreementId, token) });
}

/** The session opened early for this agreement and token, if any (another token's is closed). */
export function takeEarlySession(agreementId: string, token: string): CollabSession | null {
  claimed.add(agreementId);
  const held = early.get(agreementId);
  if (!held) return null;
  early.delete(agreementId);
  if (held.token === token) return held.session;
  held.session.destroy();
  return null;
}

/** When the page goes: closes a session opened early that it never took (it showed an error). */
export function discardEarlySession(agreementId: string): void {
  early.get(agreementId)?.session.destroy();
  early.delete(agreementId);
  claimed.delete(agreementId);
}
