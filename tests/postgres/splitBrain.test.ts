import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { CloseCode } from '#shared/protocol';
import { contentString, paragraphText, synced } from '../support/clients';
import { api, createAgreement, type TestServer } from '../support/server';
import { waitFor } from '../support/poll';
import { useHarness } from '../support/harness';
import { useDatabase } from '../support/databases';
import { holdsLock, leaseOf, storedContent, withDatabase } from '../support/cluster';
import { holdCalls } from '../support/heldCalls';
import type { LeasedOwnership } from '../../server/src/cluster/ownership';

const database = useDatabase();
const h = useHarness();

async function instance(leaseIdleMs?: number): Promise<TestServer> {
  // Two instances in this process, so the test can look inside the one that loses its lease.
  return h.start({ databaseUrl: database().url, leaseIdleMs });
}

it('split brain: the owner whose lease connection is terminated stops writing for the agreement, and another instance takes over with nothing lost', async () => {
  const a = await instance();
  const b = await instance();
  const f = await createAgreement(a);
  const id = f.agreement.id;
  const nia = await f.invite({ role: 'negotiator', name: 'Nia Otieno', party: f.ngoId });
  const ben = await f.invite({ role: 'negotiator', name: 'Ben Kamau', party: f.businessId });
  const before = await leaseOf(database().url, id);
  expect(before.ownerUrl).toBe(a.http);

  const onA = h.connect(a, id, nia);
  const onB = h.connect(b, id, ben);
  const closes: number[] = [];
  onA.provider.on('connection-close', (event: CloseEvent | null) => closes.push(event?.code ?? 0));
  await Promise.all([synced(onA), synced(onB)]);
  paragraphText(onA.doc).insert(0, 'Seen by both. ');
  await waitFor(() => contentString(onB.doc).includes('Seen by both. '), { what: 'B sees A' });

  // The owner's process lives on, but PostgreSQL cuts its lease connection (and lets go of its locks).
  const terminated = await withDatabase(
    database().url,
    async (c) =>
      (await c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1', [`common-ground lease ${a.http}`])).rowCount,
  );
  expect(terminated).toBe(1);

  // A drops the agreement at once: its clients are told to reconnect, and it can no longer write for it.
  await waitFor(() => closes.includes(CloseCode.OwnerLost), { what: 'A closes its clients with OwnerLost' });
  expect(a.app.ctx.rooms.openAgreements().has(id)).toBe(false);
  const late = new Y.Doc();
  paragraphText(late).insert(0, 'written by a stale owner');
  await expect(Promise.resolve(a.app.ctx.storage.appendUpdate(id, Y.encodeStateAsUpdate(late)))).rejects.toMatchObject({ statusCode: 503 });

  // B takes over with a higher epoch; both clients (A's now forwarded to B) carry on together.
  await waitFor(async () => (await leaseOf(database().url, id)).ownerUrl === b.http, { what: 'B owns the agreement' });
  expect((await leaseOf(database().url, id)).epoch).toBeGreaterThan(before.epoch!);
  await waitFor(() => onA.provider.synced && onB.provider.synced && onA.provider.wsconnected, { what: 'both clients back' });
  paragraphText(onA.doc).insert(paragraphText(onA.doc).length, 'After the split.');
  await waitFor(() => contentString(onB.doc).includes('Seen by both. After the split.'), { what: 'an edit through A reaches B' });
  await waitFor(async () => (await storedContent(database().url, id)).includes('Seen by both. After the split.'), { what: 'everything stored' });
  expect(b.app.ctx.rooms.openAgreements().has(id)).toBe(true);
  expect(a.app.ctx.rooms.openAgreements().has(id)).toBe(false);
});

it('an agreement nobody has open is released after the idle time, and the next instance asked takes it', async () => {
  const a = await instance(300);
  const b = await instance(300);
  const f = await createAgreement(a);
  const id = f.agreement.id;
  const onA = h.connect(a, id, f.brokerToken);
  await synced(onA);
  paragraphText(onA.doc).insert(0, 'Kept.');
  await waitFor(async () => (await storedContent(database().url, id)).includes('Kept.'), { what: 'stored' });
  onA.destroy();
  // No room open and idle: A gives the lease back (the advisory lock goes with it).
  await waitFor(() => a.app.ctx.rooms.openAgreements().size === 0, { what: 'rooms unloaded' });
  await waitFor(
    async () =>
      (
        await withDatabase(database().url, (c) =>
          c.query("SELECT 1 FROM pg_locks l JOIN pg_stat_activity s USING (pid) WHERE l.locktype = 'advisory' AND s.application_name = $1", [
            `common-ground lease ${a.http}`,
          ]),
        )
      ).rowCount === 0,
    { what: 'A lets go of its lock' },
  );
  const onB = h.connect(b, id, f.brokerToken);
  await synced(onB);
  expect(contentString(onB.doc)).toContain('Kept.');
  expect((await leaseOf(database().url, id)).ownerUrl).toBe(b.http);
});

it('an agreement with a request still being served keeps its lease past the idle time: what it writes last (a snapshot) lands', async () => {
  const a = await instance(300);
  const busy = await createAgreement(a);
  const quiet = await createAgreement(a);

  // A slow snapshot (a long text, a busy worker), held at its last step: storing it.
  const slowStep = holdCalls(a.app.ctx.storage, 'saveSnapshot', 1);
  let answer: { status: number; body: unknown } | undefined;
  const taking = api(a, 'POST', `/api/agreements/${busy.agreement.id}/snapshots`, { label: 'Before the session' }, busy.brokerToken);
  void taking.then((r) => (answer = r));
  await waitFor(() => slowStep.waiting === 1 || answer, { what: 'the snapshot at its last step' });
  expect(answer, 'answered before it was stored').toBeUndefined();
  // Meanwhile no room of its agreement is open (the text was read, the records too).
  await waitFor(() => !a.app.ctx.rooms.openAgreements().has(busy.agreement.id), { what: 'no room of it open' });
  expect(await holdsLock(database().url, a, busy.agreement.id)).toBe(true);
  // Used after that, then left alone: once its lease goes, the snapshot's agreement has been idle as long. (Its people:
  // the agreement itself would load its text for a page about to open it, held for that page for 15 s.)
  expect((await api(a, 'GET', `/api/agreements/${quiet.agreement.id}/people`, undefined, quiet.brokerToken)).status).toBe(200);
  await waitFor(async () => !(await holdsLock(database().url, a, quiet.agreement.id)), { what: 'the quiet agreement released' });
  await slowStep.release();
  expect(await taking).toMatchObject({ status: 201 });
});

it('the last person to leave is written to the audit log as leaving, though the agreement went idle during their grace', async () => {
  // As by default: the idle time (30 s) is shorter than the grace after which a leave is written (60 s).
  const a = await h.start({ databaseUrl: database().url, leaseIdleMs: 300, auditRejoinGraceMs: 1500 });
  const f = await createAgreement(a);
  const id = f.agreement.id;
  const lena = h.connect(a, id, await f.invite({ role: 'legal', name: 'Lena Legal' }));
  await synced(lena);
  lena.destroy();
  // Read from the database: asking the instance would use the agreement, and keep its lease.
  const kinds = async () =>
    (
      await withDatabase(database().url, (c) =>
        c.query<{ kind: string }>("SELECT entry->>'kind' AS kind FROM audit_log WHERE agreement_id = $1 ORDER BY seq", [id]),
      )
    ).rows.map((r) => r.kind);
  await waitFor(async () => (await kinds()).includes('person.joined'), { what: 'her join in the audit log' });
  await waitFor(async () => (await kinds()).includes('person.left'), { timeoutMs: 6000, what: `her leave in the audit log` }).catch(() => {});
  expect(await kinds()).toEqual(['agreement.created', 'invite.created', 'person.joined', 'person.left']);
});

it('requests about agreements that do not exist, or that another instance serves, leave nothing behind in an instance', async () => {
  const a = await instance();
  const b = await instance();
  const f = await createAgreement(a);
  const remembered = (server: TestServer) => (server.app.ctx.ownership as LeasedOwnership).agreementsRemembered;
  const before = { a: remembered(a), b: remembered(b) };
  // No token needed: every made-up id was kept for good, a few hundred bytes each, so a loop of them filled the memory.
  for (let i = 0; i < 200; i += 50) {
    await Promise.all(Array.from({ length: 50 }, (_, j) => api(b, 'GET', `/api/agreements/made-up-${i + j}/people`)));
  }
  // Forwarded to A, the owner: B keeps nothing about it either.
  for (let i = 0; i < 20; i++) expect((await api(b, 'GET', `/api/agreements/${f.agreement.id}`, undefined, f.brokerToken)).status).toBe(200);
  expect(remembered(b)).toBe(before.b);
  expect(remembered(a)).toBe(before.a);
});
