import { beforeAll, expect, it } from 'vitest';
import { synced, type TestClient } from '../support/clients';
import { useHarness } from '../support/harness';
import { api, createAgreement, type AgreementFixture, type TestServer } from '../support/server';
import { waitFor } from '../support/poll';
import { heading, objective, paragraph, readDocument, writeDocument } from '../support/document';
import type { DiffResult, SnapshotSummary } from '#shared/snapshots';

// Objective blocks (issue 4) as snapshots and exports (issue 5) see them.
const h = useHarness({ teardown: 'all' });
let server: TestServer;
let f: AgreementFixture;
let ngo: TestClient;

beforeAll(async () => {
  server = await h.start();
  f = await createAgreement(server);
  ngo = h.connect(server, f.agreement.id, await f.invite({ role: 'negotiator', name: 'Amina', party: f.ngoId }));
  await synced(ngo);
});

it('names changed objectives by their title in a diff, and spells objective blocks out in exports', async () => {
  const fields = { title: 'Restore the river bank', intent: 'Clean water for every village on the river', band: '500 to 800 households', trigger: 'a drought year' };
  writeDocument(ngo.doc, {
    type: 'doc',
    content: [heading(2, 'Shared objectives'), objective('obj1', fields, { scope: f.ngoId, owners: 'Amina', quickWin: true, targetDate: '2027-06-30' })],
  });
  const path = (rest: string) => `/api/agreements/${f.agreement.id}${rest}`;
  const first = await waitFor(async () => {
    const res = await api<SnapshotSummary>(server, 'POST', path('/snapshots'), { label: 'First draft' }, f.brokerToken);
    const opened = await api<{ content: unknown }>(server, 'GET', path(`/snapshots/${res.body.id}`), undefined, f.brokerToken);
    return JSON.stringify(opened.body.content).includes('500 to 800') ? res.body : undefined;
  }, { what: 'a snapshot holding the objective' });

  const doc = readDocument(ngo.doc);
  const band = doc.content![1].content![2];
  band.content = [{ type: 'text', text: '600 to 900 households' }];
  doc.content!.push(paragraph('Closing remarks.'));
  writeDocument(ngo.doc, doc);

  const diff = await waitFor(async () => {
    const res = await api<DiffResult>(server, 'GET', path(`/diff?from=${first.id}&to=live`), undefined, f.brokerToken);
    return res.body.summary?.total >= 2 ? res.body : undefined;
  }, { what: 'the edit in the diff' });
  expect(diff.summary.byObjective.map((c) => c.key)).toEqual(['Restore the river bank']);
  expect(diff.summary.bySection.map((c) => c.key)).toContain('Shared objectives');

  const md = await fetch(`${server.http}${path(`/snapshots/${first.id}/export?format=md`)}`, { headers: { authorization: `Bearer ${f.brokerToken}` } });
  const text = await md.text();
  expect(text).toContain('**Objective: Restore the river bank**');
  expect(text).toContain('Own objective of WaterAid Kenya · quick win · owners: Amina · target date: 2027-06-30');
  expect(text).toContain('**Intent (fixed): **Clean water for every village on the river');
  expect(text).toContain('**Targets and agreed band (flexible): **500 to 800 households');
  expect(text).toContain('**Revisit when: **a drought year');
});
