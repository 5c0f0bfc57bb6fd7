import { request } from '../api';
import type { StanceCall, StanceRecord, StanceValue } from '#shared/objectives';
import type { Phase } from '#shared/phases';

const base = (id: string) => `/api/agreements/${encodeURIComponent(id)}`;

/** States my party's stance on the objective as I saw it (`contentHash`): 409 if it moved on since; `party`, the one it was stated for (403 when I no longer speak for it). */
export function putStance(
  id: string,
  token: string,
  objectiveId: string,
  body: { stance: StanceValue; reason?: string; contentHash?: string; party?: string },
): Promise<StanceRecord> {
  return request('PUT', `${base(id)}/objectives/${encodeURIComponent(objectiveId)}/stance`, { token, body });
}

export function callForStances(id: string, token: string, objectiveId: string): Promise<StanceCall> {
  return request('POST', `${base(id)}/objectives/${encodeURIComponent(objectiveId)}/call-for-stances`, { token });
}

export function setPhase(id: string, token: string, phase: Phase, reason?: string): Promise<{ phase: Phase; changed: boolean }> {
  return request('POST', `${base(id)}/phase`, { token, body: { phase, ...(reason ? { reason } : {}) } });
}

/** Marks a quick win delivered, or not after all (the broker, or a negotiator of its parties: `canMarkDelivered`). */
export function putDelivered(id: string, token: string, objectiveId: string, delivered: boolean): Promise<{ objectiveId: string }> {
  return request('PUT', `${base(id)}/objectives/${encodeURIComponent(objectiveId)}/delivered`, { token, body: { delivered } });
}
