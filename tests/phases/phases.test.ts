import { beforeEach, expect, it } from 'vitest';
import { synced, type TestClient } from '../support/clients';
import { useHarness } from '../support/harness';
import { api, createAgreement, type AgreementFixture, type TestServer } from '../support/server';
import { waitFor } from '../support/poll';
import { recordsRoom } from '#shared/rooms';
import { RecordsKey, type ActivityEntry } from '#shared/records';
import type { PhaseChange } from '#shared/phases';

const h = useHarness();
let server: TestServer;
let f: AgreementFixture;
let watcher: TestClient;

beforeEach(async () => {
  server = await h.start();
  f = await createAgreement(server);
  watcher = h.connect(server, recordsRoom(f.agreement.id), await f.invite({ role: 'observer', name: 'Olu' }));
  await synced(watcher);
});

const move = (phase: unknown, token = f.brokerToken) => api<{ error?: string }>(server, 'POST', `/api/agreements/${f.agreement.id}/phase`, { phase }, token);

it('the broker moves the agreement through the phases; everyone sees each change with who and when', async () => {
  const events: { phase: string; previous: string | null }[] = [];
  server.app.ctx.events.on('phase.changed', ({ phase, previous }) => events.push({ phase, previous }));

  expect((await move('managing')).status).toBe(200);
  expect((await move('reviewing')).status).toBe(200);
  await waitFor(() => watcher.doc.getMap(RecordsKey.meta).get('phase') === 'reviewing', { what: 'phase arrives live' });
  const log = watcher.doc.getArray<PhaseChange>(RecordsKey.phaseLog).toArray();
  expect(log.map((c) => [c.previous, c.phase])).toEqual([
    [null, 'managing'],
    ['managing', 'reviewing'],
  ]);
  expect(log[1].by).toMatchObject({ name: 'Brook Broker', role: 'broker' });
  expect(Date.now() - Date.parse(log[1].at)).toBeLessThan(60_000);
  const activity = watcher.doc.getArray<ActivityEntry>(RecordsKey.activity).toArray();
  expect(activity.filter((a) => a.kind === 'phase.changed')).toHaveLength(2);
  expect(events).toEqual([
    { phase: 'managing', previous: null },
    { phase: 'reviewing', previous: 'managing' },
  ]);

  // Staying in the same phase records nothing.
  expect((await move('reviewing')).status).toBe(200);
  expect(events).toHaveLength(2);
});

it('refuses phases out of the list and anyone but a broker', async () => {
  const ngo = await f.invite({ role: 'negotiator', name: 'Nia', party: f.ngoId });
  for (const [phase, token, status] of [
    ['finished', f.brokerToken, 400],
    [3, f.brokerToken, 400],
    ['managing', ngo, 403],
    ['managing', 'not-a-token', 401],
  ] as const) {
    const res = await move(phase, token);
    expect(res.status, String(phase)).toBe(status);
    expect(typeof res.body.error).toBe('string');
  }
  expect((await api(server, 'POST', `/api/agreements/nope/phase`, { phase: 'managing' }, f.brokerToken)).status).toBe(403);
  expect(watcher.doc.getArray(RecordsKey.phaseLog).length).toBe(0);
  expect(watcher.doc.getMap(RecordsKey.meta).has('phase')).toBe(false);
});

// A new agreement is in "Scoping and building" (INITIAL_PHASE), as every page shows it; a request to move it there
// recorded a change from nothing, announced it and took a "Phase: Scoping and building" snapshot.
it('moving a new agreement to the phase it starts in records nothing', async () => {
  const events: string[] = [];
  server.app.ctx.events.on('phase.changed', ({ phase }) => events.push(phase));
  const res = await api<{ changed: boolean }>(server, 'POST', `/api/agreements/${f.agreement.id}/phase`, { phase: 'scoping' }, f.brokerToken);
  expect(res.status).toBe(200);
  expect({ changed: res.body.changed, log: watcher.doc.getArray(RecordsKey.phaseLog).length, events }).toEqual({ changed: false, log: 0, events: [] });
});
