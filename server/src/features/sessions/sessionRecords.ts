import { RecordsKey } from '#shared/records';
import type * as Y from 'yjs';
import { type AgendaItem, type LiveSession } from '#shared/sessions';
import { ErrorCode } from '#shared/errors';
import { conflict, notFound } from '../../errors';

/** The records room's sessions. */
export function sessionsMap(doc: Y.Doc): Y.Map<LiveSession> {
  return doc.getMap<LiveSession>(RecordsKey.sessions);
}

export function findSession(doc: Y.Doc, sessionId: string): LiveSession {
  const session = sessionsMap(doc).get(sessionId);
  if (!session) throw notFound(ErrorCode.SessionNotFound, 'no such session in this agreement');
  return session;
}

/** The session being planned or run, if any: an agreement has at most one at a time. */
export function activeSession(doc: Y.Doc): LiveSession | undefined {
  for (const session of sessionsMap(doc).values()) if (session.status !== 'ended') return session;
  return undefined;
}

export function runningSession(doc: Y.Doc, sessionId: string): LiveSession {
  const session = findSession(doc, sessionId);
  if (session.status === 'planned') throw conflict(ErrorCode.SessionState, 'the session has not started yet');
  if (session.status === 'ended') throw conflict(ErrorCode.SessionState, 'the session has ended');
  return session;
}

/** Stores a changed session (a Y.Map value is replaced whole: it is one JSON record). */
export function saveSession(doc: Y.Doc, session: LiveSession): LiveSession {
  sessionsMap(doc).set(session.id, session);
  return session;
}

export function currentItem(session: LiveSession): AgendaItem | undefined {
  return session.agenda.find((item) => item.id === session.currentItemId);
}

/** Records of a session that name an agenda item. */
const ITEM_RECORDS = [RecordsKey.decisions, RecordsKey.actions, RecordsKey.consentRounds, RecordsKey.parkedPoints] as const;

/** The first item of the session's agenda that `next` leaves out though it was current once or a record names it, if any. */
export function takenUpItem(doc: Y.Doc, session: LiveSession, next: { id: string }[]): AgendaItem | undefined {
  const dropped = session.agenda.filter((item) => !next.some((n) => n.id === item.id));
  if (dropped.length === 0) return undefined;
  const named = new Set<string>(session.visits.map((v) => v.itemId));
  for (const key of ITEM_RECORDS) {
    for (const record of doc.getMap<{ sessionId?: string; itemId?: string | null }>(key).values()) {
      if (record.sessionId === session.id && record.itemId) named.add(record.itemId);
    }
  }
  return dropped.find((item) => named.has(item.id));
}
