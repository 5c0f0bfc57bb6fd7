import { beforeEach, expect, it } from 'vitest';
import { synced, type TestClient } from '../support/clients';
import { useHarness } from '../support/harness';
import { api, createAgreement, type AgreementFixture, type TestServer } from '../support/server';
import { waitFor } from '../support/poll';
import { storedDoc } from '../support/stored';
import { basesIndexRoom, basisTextRoom } from '../../server/src/documents/stanceBases';
import { objective, paragraph, readDocument, writeDocument } from '../support/document';
import { contentRoom, recordsRoom } from '#shared/rooms';
import { RecordsKey } from '#shared/records';
import { canonicalObjective, type StanceRecord } from '#shared/objectives';

let server: TestServer;
const h = useHarness();
let f: AgreementFixture;
let ngo: string;
let business: string;
let legal: string;
let editor: TestClient;

const band = (value: string) =>
  writeDocument(editor.doc, {
    type: 'doc',
    content: [
      paragraph('Preamble'),
      objective('obj1', { title: 'Safe water for households', intent: 'Every household has safe water', band: value, trigger: 'Drought' }),
    ],
  });

/** Writes a new band and waits until the server lists the objective's new hash (its stances then outdated). */
const rebanded = async (value: string) => {
  band(value);
  return waitFor(
    async () => {
      const [listed] = (await listObjectives()).objectives;
      return listed.status !== 'agreed' ? listed.hash : undefined;
    },
    { what: 'the new band reaches the server' },
  );
};

interface Listed {
  id: string;
  hash: string;
  status: string;
  waitingOn: string[];
  statuses: Record<string, string>;
}
const listObjectives = async () =>
  (await api<{ objectives: Listed[]; summary: Record<string, unknown> }>(server, 'GET', `/api/agreements/${f.agreement.id}/objectives`, undefined, legal)).body;
const stance = (token: string, body: unknown, objectiveId = 'obj1') =>
  api<{ error?: string; contentHash?: string }>(server, 'PUT', `/api/agreements/${f.agreement.id}/objectives/${objectiveId}/stance`, body, token);

beforeEach(async () => {
  server = await h.start();
  f = await createAgreement(server);
  ngo = await f.invite({ role: 'negotiator', name: 'Nia', party: f.ngoId });
  business = await f.invite({ role: 'negotiator', name: 'Ben', party: f.businessId });
  legal = await f.invite({ role: 'legal', name: 'Lena' });
  editor = h.connect(server, contentRoom(f.agreement.id), ngo);
  await synced(editor);
  band('500 to 800 households');
  await waitFor(async () => (await listObjectives()).objectives.length === 1, { what: 'objective reaches the server' });
});

it('a negotiator states only its own party’s stance, and every client sees it live with its author', async () => {
  const watcher = h.connect(server, recordsRoom(f.agreement.id), legal);
  await synced(watcher);

  const ok = await stance(ngo, { stance: 'agree' });
  expect(ok.status).toBe(200);
  const seen = await waitFor(() => watcher.doc.getMap<StanceRecord>(RecordsKey.stances).get(`obj1:${f.ngoId}`), { what: 'stance arrives live' });
  expect(seen).toMatchObject({ party: f.ngoId, stance: 'agree', by: { name: 'Nia', role: 'negotiator' } });

  // Nobody speaks for another party: not its negotiators, not the broker, not a reviewer.
  expect((await stance(business, { stance: 'agree', party: f.ngoId })).status).toBe(403);
  expect((await stance(f.brokerToken, { stance: 'agree' })).status).toBe(403);
  expect((await stance(legal, { stance: 'agree' })).status).toBe(403);
  expect(watcher.doc.getMap(RecordsKey.stances).size).toBe(1);

  const listed = (await listObjectives()).objectives[0];
  expect(listed.statuses).toEqual({ [f.ngoId]: 'agree', [f.businessId]: 'none' });
  expect(listed).toMatchObject({ status: 'waiting', waitingOn: [f.businessId] });
});

it('refuses invalid stances with a JSON error and records nothing', async () => {
  const cases: [string, unknown, number, string?][] = [
    [business, { stance: 'maybe' }, 400],
    [business, { stance: 'object' }, 400],
    [business, { stance: 'reservations', reason: '   ' }, 400],
    [business, { stance: 'agree' }, 404, 'nope'],
    [business, { stance: 'agree', contentHash: 'a'.repeat(64) }, 409],
  ];
  for (const [token, body, status, objectiveId] of cases) {
    const res = await stance(token, body, objectiveId);
    expect(res.status, JSON.stringify(body)).toBe(status);
    expect(typeof res.body.error).toBe('string');
  }
  expect((await listObjectives()).objectives[0].statuses[f.businessId]).toBe('none');
});

it('a stance is outdated once the objective is edited, until the party confirms it again', async () => {
  expect((await stance(ngo, { stance: 'agree' })).status).toBe(200);
  const reservations = await stance(business, { stance: 'reservations', reason: 'Depends on the drought season' });
  expect(reservations.status).toBe(200);
  let listed = await listObjectives();
  expect(listed.objectives[0].status).toBe('agreed');
  expect(listed.summary).toMatchObject({ total: 1, agreed: 1, outdated: 0 });

  band('400 to 800 households');
  await waitFor(async () => (await listObjectives()).objectives[0].status === 'outdated', { what: 'stances outdated after the edit' });
  listed = await listObjectives();
  expect(listed.objectives[0].statuses).toEqual({ [f.ngoId]: 'outdated', [f.businessId]: 'outdated' });
  expect(listed.summary).toMatchObject({ agreed: 0, outdated: 1 });

  // Confirming against the hash the party saw: the current one is accepted.
  const current = listed.objectives[0].hash;
  expect((await stance(ngo, { stance: 'agree', contentHash: current })).status).toBe(200);
  expect((await stance(business, { stance: 'reservations', reason: 'Still the drought', contentHash: current })).status).toBe(200);
  expect((await listObjectives()).objectives[0].status).toBe('agreed');
});

it('the client computes the same content hash as the server from its own copy (Web Crypto)', async () => {
  const doc = readDocument(editor.doc);
  const node = doc.content!.find((n) => n.type === 'objective')!;
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonicalObjective(node)));
  const hex = Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
  expect((await listObjectives()).objectives[0].hash).toBe(hex);
});

it('announces once when every party agrees to every objective', async () => {
  const announced: string[] = [];
  server.app.ctx.events.on('objectives.allAgreed', (e) => announced.push(e.agreementId));
  await stance(ngo, { stance: 'agree' });
  expect(announced).toEqual([]);
  await stance(business, { stance: 'agree' });
  await stance(business, { stance: 'agree' });
  expect(announced).toEqual([f.agreement.id]);
});

it('only a broker calls for stances, on an objective that exists', async () => {
  const path = `/api/agreements/${f.agreement.id}/objectives/obj1/call-for-stances`;
  const called = await api<{ objectiveId: string; by: { name: string } }>(server, 'POST', path, undefined, f.brokerToken);
  expect(called.status).toBe(201);
  expect(called.body).toMatchObject({ objectiveId: 'obj1', by: { name: 'Brook Broker' } });
  expect((await api(server, 'POST', path, undefined, ngo)).status).toBe(403);
  expect((await api(server, 'POST', path.replace('obj1', 'nope'), undefined, f.brokerToken)).status).toBe(404);
  const watcher = h.connect(server, recordsRoom(f.agreement.id), business);
  await waitFor(() => watcher.doc.getMap(RecordsKey.stanceCalls).has('obj1'), { what: 'call arrives' });
});

// Agreeing with reservations is agreeing (the standing reads "agreed", as a consent round counts it):
// the snapshot is taken when the last party agrees, with or without reservations. This test used to
// expect it only after the reservations were lifted; it passed because the snapshot, taken at the
// reservations, read the stances a moment later, after the next one had landed.
it('takes a snapshot by itself once every party agrees to every objective (with reservations too), holding those stances, and only once', async () => {
  const snapshots = async () =>
    (await api<{ id: string; label: string; reason: string }[]>(server, 'GET', `/api/agreements/${f.agreement.id}/snapshots`, undefined, legal)).body;
  expect((await stance(ngo, { stance: 'agree' })).status).toBe(200);
  expect((await stance(business, { stance: 'reservations', reason: 'Budget not yet approved' })).status).toBe(200);
  const agreed = await waitFor(async () => (await snapshots()).find((s) => s.reason === 'agreed'), { timeoutMs: 15_000, what: 'automatic snapshot' });
  expect(agreed.label).toBe('Every party agreed to every objective');
  const opened = await api<{ context: { stances: Record<string, { stance: string }> } }>(
    server,
    'GET',
    `/api/agreements/${f.agreement.id}/snapshots/${agreed.id}`,
    undefined,
    legal,
  );
  expect(Object.values(opened.body.context.stances).map((s) => s.stance)).toEqual(['agree', 'reservations']);

  // Lifting the reservations changes no standing: no second snapshot. A snapshot taken by hand
  // afterwards comes after any the stance would have started (an agreement's snapshots are taken in turn).
  expect((await stance(business, { stance: 'agree' })).status).toBe(200);
  expect((await api(server, 'POST', `/api/agreements/${f.agreement.id}/snapshots`, { label: 'After' }, f.brokerToken)).status).toBe(201);
  expect((await snapshots()).map((s) => s.reason)).toEqual(['agreed', 'manual']);
});

// Each "everyone agreed" snapshot stores the whole text for good. A negotiator whose partners all
// agree could toggle their last stance (object, agree, object, …) and keep one per agree; the record
// of that agreement already exists, so it is kept again only when what was agreed to changed.
it('keeps the "everyone agreed" snapshot once per agreed text: toggling the last stance keeps no more, agreeing to an edited text keeps a new one', async () => {
  const snapshots = async () =>
    (await api<{ id: string; label: string; reason: string }[]>(server, 'GET', `/api/agreements/${f.agreement.id}/snapshots`, undefined, legal)).body;
  const byHand = async (label: string) =>
    expect((await api(server, 'POST', `/api/agreements/${f.agreement.id}/snapshots`, { label }, f.brokerToken)).status).toBe(201);
  expect((await stance(ngo, { stance: 'agree' })).status).toBe(200);
  expect((await stance(business, { stance: 'agree' })).status).toBe(200);
  for (let round = 0; round < 4; round += 1) {
    expect((await stance(business, { stance: 'object', reason: `Not yet (${round})` })).status).toBe(200);
    expect((await stance(business, { stance: 'agree' })).status).toBe(200);
  }
  // Snapshots are taken in turn: one by hand lands after any the stances started.
  await byHand('After the toggles');
  expect((await snapshots()).map((s) => s.reason)).toEqual(['agreed', 'manual']);

  // A new band is a new text: both parties confirm, and that agreement is kept.
  const edited = await rebanded('400 to 800 households');
  expect((await stance(ngo, { stance: 'agree', contentHash: edited })).status).toBe(200);
  expect((await stance(business, { stance: 'agree', contentHash: edited })).status).toBe(200);
  await byHand('After the new band');
  expect((await snapshots()).map((s) => s.reason)).toEqual(['agreed', 'manual', 'agreed', 'manual']);
});

it('drops a kept text once no current stance was stated on it, and keeps the one they were restated on', async () => {
  const refs = async () => (await storedDoc(server, basesIndexRoom(f.agreement.id))).getMap<string>('refs').toJSON() as Record<string, string>;
  const keptText = async (digest: string) => (await storedDoc(server, basisTextRoom(f.agreement.id, digest))).getMap<Uint8Array>('state').get('state');
  expect((await stance(ngo, { stance: 'agree' })).status).toBe(200);
  expect((await stance(business, { stance: 'agree' })).status).toBe(200);
  const [first] = Object.values(await refs());
  expect(await keptText(first)).toBeInstanceOf(Uint8Array);

  const edited = await rebanded('400 to 800 households');
  // One party restates: the other's stance still stands on the first text, which stays.
  expect((await stance(ngo, { stance: 'agree', contentHash: edited })).status).toBe(200);
  expect(new Set(Object.values(await refs())).size).toBe(2);
  expect(await keptText(first)).toBeInstanceOf(Uint8Array);
  // Both restated: nothing refers to the first text any more.
  expect((await stance(business, { stance: 'agree', contentHash: edited })).status).toBe(200);
  const now = await refs();
  expect(Object.keys(now)).toEqual([`obj1:${edited}`]);
  expect(await keptText(first)).toBeUndefined();
  expect(await keptText(now[`obj1:${edited}`])).toBeInstanceOf(Uint8Array);
  // And what changed since reads the kept text.
  const since = await api(server, 'GET', `/api/agreements/${f.agreement.id}/objectives/obj1/changes?party=${f.ngoId}`, undefined, ngo);
  expect(since.status).toBe(200);
});
