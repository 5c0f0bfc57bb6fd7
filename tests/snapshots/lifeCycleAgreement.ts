import { expect } from 'vitest';
import type { JSONContent } from '@tiptap/core';
import type { PhaseChange } from '#shared/phases';
import type { SnapshotSummary } from '#shared/snapshots';
import { synced } from '../support/clients';
import { writeDocument } from '../support/document';
import type { Harness } from '../support/harness';
import { api, createAgreement, objectivesOnServer } from '../support/server';

/**
 * An agreement whose text Nia (NGO) wrote as `content`, holding `objectives` objectives once the server has them, with
 * Ben (business) and Lena (legal) invited, and the moves of its life cycle a test makes: the broker's phase changes and
 * snapshots, a negotiator's quick win marked delivered, each checked to have been taken.
 */
export async function lifeCycleAgreement(h: Harness, content: JSONContent[], objectives: number) {
  const server = await h.start();
  const f = await createAgreement(server);
  const path = (rest: string) => `/api/agreements/${f.agreement.id}${rest}`;
  const nia = await f.invite({ role: 'negotiator', name: 'Nia', party: f.ngoId });
  const ben = await f.invite({ role: 'negotiator', name: 'Ben', party: f.businessId });
  const legal = await f.invite({ role: 'legal', name: 'Lena' });
  const writer = h.connect(server, f.agreement.id, nia);
  await synced(writer);
  writeDocument(writer.doc, { type: 'doc', content });
  await objectivesOnServer(server, f.agreement.id, f.brokerToken, objectives);
  return {
    server,
    f,
    path,
    nia,
    ben,
    legal,
    async move(phase: string): Promise<PhaseChange> {
      const res = await api<{ change: PhaseChange }>(server, 'POST', path('/phase'), { phase }, f.brokerToken);
      expect(res.status).toBe(200);
      return res.body.change;
    },
    async deliver(token: string, id: string): Promise<{ at: string }> {
      const res = await api<{ delivered: { at: string } }>(server, 'PUT', path(`/objectives/${id}/delivered`), { delivered: true }, token);
      expect(res.status).toBe(200);
      return res.body.delivered;
    },
    async snapshot(label: string): Promise<SnapshotSummary> {
      const res = await api<SnapshotSummary>(server, 'POST', path('/snapshots'), { label }, f.brokerToken);
      expect(res.status).toBe(201);
      return res.body;
    },
  };
}
