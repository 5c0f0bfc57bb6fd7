import { ApiError, download, request } from '../../api';
import type { AgendaItemInput, ConsentRound, LiveSession, Minutes, RoundAnswerValue } from '#shared/sessions';
import type { ExportFormat } from '#shared/snapshots';

/** Null for a refusal because a co-broker did it first (409 `session_state`): what was asked is done, not an error. */
function takenCareOf(err: unknown): null {
  if (err instanceof ApiError && err.status === 409 && err.code === 'session_state') return null;
  throw err;
}

const base = (id: string) => `/api/agreements/${encodeURIComponent(id)}`;
const of = (id: string, sessionId: string) => `${base(id)}/sessions/${encodeURIComponent(sessionId)}`;

/** The session commands; the server answers each and the records room shows the change to everyone. */
export const sessionApi = {
  plan: (id: string, token: string, title: string, agenda: AgendaItemInput[]) =>
    request<LiveSession>('POST', `${base(id)}/sessions`, { token, body: { title, agenda } }),
  /** `version`: the agenda version the rows were edited from (409 `agenda_changed` when another broker saved since). */
  setAgenda: (id: string, token: string, sessionId: string, agenda: AgendaItemInput[], version: number) =>
    request<LiveSession>('PUT', `${of(id, sessionId)}/agenda`, { token, body: { agenda, version } }),
  start: (id: string, token: string, sessionId: string) => request<LiveSession>('POST', `${of(id, sessionId)}/start`, { token }),
  moveTo: (id: string, token: string, sessionId: string, itemId: string) =>
    request<LiveSession>('POST', `${of(id, sessionId)}/current`, { token, body: { itemId } }),
  end: (id: string, token: string, sessionId: string) => request<Minutes>('POST', `${of(id, sessionId)}/end`, { token }),
  /**
   * Opens a round on the current item's objective; null when the server refused it for the session's state (409
   * `session_state`): a round a co-broker opened a moment earlier (or their end of the session), which everyone sees.
   */
  openRound: (id: string, token: string, sessionId: string) =>
    request<ConsentRound>('POST', `${of(id, sessionId)}/rounds`, { token, body: {} }).catch(takenCareOf),
  answer: (
    id: string,
    token: string,
    sessionId: string,
    roundId: string,
    body: { answer: RoundAnswerValue; reason?: string; contentHash?: string; party?: string },
  ) => request<ConsentRound>('POST', `${of(id, sessionId)}/rounds/${encodeURIComponent(roundId)}/answers`, { token, body }),
  /**
   * Closes a round; null when it was closed already. The server refuses a close (409 `session_state`) only of a round
   * that is no longer open, which a co-broker's close a moment earlier leaves: closed is what was asked, not an error.
   */
  closeRound: (id: string, token: string, sessionId: string, roundId: string) =>
    request<ConsentRound>('POST', `${of(id, sessionId)}/rounds/${encodeURIComponent(roundId)}/close`, { token }).catch(takenCareOf),
  raiseHand: (id: string, token: string, sessionId: string) => request<LiveSession>('POST', `${of(id, sessionId)}/hands`, { token }),
  lowerHand: (id: string, token: string, sessionId: string, personId: string) =>
    request<LiveSession>('DELETE', `${of(id, sessionId)}/hands/${encodeURIComponent(personId)}`, { token }),
  giveFloor: (id: string, token: string, sessionId: string, personId: string | null) =>
    request<LiveSession>('POST', `${of(id, sessionId)}/floor`, { token, body: { personId } }),
  caucus: (id: string, token: string, sessionId: string, minutes: number) =>
    request<LiveSession>('POST', `${of(id, sessionId)}/caucus`, { token, body: { minutes } }),
  decide: (id: string, token: string, sessionId: string, text: string) => request('POST', `${of(id, sessionId)}/decisions`, { token, body: { text } }),
  addAction: (id: string, token: string, sessionId: string, body: { what: string; owner: { kind: 'person' | 'party'; id: string }; due?: string }) =>
    request('POST', `${of(id, sessionId)}/actions`, { token, body }),
  markAction: (id: string, token: string, sessionId: string, actionId: string, done: boolean) =>
    request('PUT', `${of(id, sessionId)}/actions/${encodeURIComponent(actionId)}/done`, { token, body: { done } }),
  park: (id: string, token: string, body: { note: string; objectiveId?: string }) => request('POST', `${base(id)}/parked`, { token, body }),
  resolveParked: (id: string, token: string, pointId: string) => request('POST', `${base(id)}/parked/${encodeURIComponent(pointId)}/resolve`, { token }),
  exportMinutes: (id: string, token: string, sessionId: string, format: ExportFormat) =>
    download(`${of(id, sessionId)}/minutes/export?format=${format}`, token),
};
