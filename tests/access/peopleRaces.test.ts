import { describe, expect, it } from 'vitest';
import type { AgreementView, InviteResponse } from '#shared/protocol';
import type { Storage } from '../../server/src/storage/port';
import { useHarness } from '../support/harness';
import { useDatabase } from '../support/databases';
import { holdCalls } from '../support/heldCalls';
import { api, createAgreement, type AgreementFixture, type TestServer } from '../support/server';
import { waitFor } from '../support/poll';

// Every change to a person (a revocation, a role, a link, a last-seen time) goes through this one storage call.
const PERSON_WRITE = 'updatePerson' as keyof Storage & string;

const h = useHarness();
const db = useDatabase();

/**
 * Two requests about people that have both read the agreement before either writes: the storage
 * call that writes holds them until both are there, then lets them run at once. Each change must
 * be made against the person as stored by then, and its rules (keep a broker, no role for a
 * revoked person) checked there too; a whole record built from what the request read first would
 * undo the other's change. Against lowdb and PostgreSQL alike.
 */
describe.each([
  ['lowdb', () => ({})],
  ['PostgreSQL', () => ({ databaseUrl: db().url })],
])('people changed at once (%s)', (_name, config) => {
  async function setUp(): Promise<{ s: TestServer; f: AgreementFixture; id: string; storage: Storage }> {
    const s = await h.start(config());
    const f = await createAgreement(s);
    return { s, f, id: f.agreement.id, storage: s.app.ctx.storage };
  }

  /** Waits until these people's first requests have stored their last-seen time, so no such write is pending. */
  async function seen(storage: Storage, id: string, personIds: string[]): Promise<void> {
    await waitFor(
      async () => {
        const people = (await storage.getAgreement(id))!.people.filter((p) => personIds.includes(p.id));
        return people.length === personIds.length && people.every((p) => p.lastSeenAt);
      },
      { what: 'last-seen times stored' },
    );
  }

  async function invite(f: AgreementFixture, s: TestServer, body: object): Promise<InviteResponse> {
    const res = await api<InviteResponse>(s, 'POST', `/api/agreements/${f.agreement.id}/invites`, body, f.brokerToken);
    expect(res.status).toBe(201);
    return res.body;
  }

  /** The agreement's first broker (`me`) and a co-broker (`co`), each having used their link once. */
  async function withTwoBrokers() {
    const { s, f, id, storage } = await setUp();
    const co = await invite(f, s, { role: 'broker', name: 'Co Broker' });
    const me = (await api<AgreementView>(s, 'GET', `/api/agreements/${id}`, undefined, f.brokerToken)).body.me.personId;
    expect((await api(s, 'GET', `/api/agreements/${id}`, undefined, co.token)).status).toBe(200);
    await seen(storage, id, [me, co.personId]);
    return { s, f, id, storage, co, me };
  }

  const activeBrokers = async (storage: Storage, id: string) =>
    (await storage.getAgreement(id))!.people.filter((p) => p.role === 'broker' && !p.revokedAt).map((p) => p.name);

  it('(a) two brokers revoking each other at once: one revocation holds, the other is refused, one broker is left', async () => {
    const { s, f, id, storage, co, me } = await withTwoBrokers();

    const held = holdCalls(storage, PERSON_WRITE);
    const answers = Promise.all([
      api<{ code?: string }>(s, 'DELETE', `/api/agreements/${id}/people/${co.personId}`, undefined, f.brokerToken),
      api<{ code?: string }>(s, 'DELETE', `/api/agreements/${id}/people/${me}`, undefined, co.token),
    ]);
    await waitFor(() => held.waiting === 2, { what: 'both revocations about to write' });
    await held.release();
    const [first, second] = await answers;

    expect([first.status, second.status].sort()).toEqual([204, 409]);
    expect([first, second].find((r) => r.status === 409)!.body.code).toBe('last_broker');
    expect(await activeBrokers(storage, id)).toHaveLength(1);
    // Whoever is left can still run the agreement.
    const left = first.status === 204 ? f.brokerToken : co.token;
    expect((await api(s, 'POST', `/api/agreements/${id}/invites`, { role: 'observer', name: 'Olu' }, left)).status).toBe(201);
  });

  it('(a) a broker demoted while the other revokes them: never zero brokers', async () => {
    const { s, f, id, storage, co, me } = await withTwoBrokers();

    const held = holdCalls(storage, PERSON_WRITE);
    const answers = Promise.all([
      api(s, 'PATCH', `/api/agreements/${id}/people/${me}`, { role: 'observer' }, co.token),
      api(s, 'DELETE', `/api/agreements/${id}/people/${co.personId}`, undefined, f.brokerToken),
    ]);
    await waitFor(() => held.waiting === 2, { what: 'the demotion and the revocation about to write' });
    await held.release();
    const statuses = (await answers).map((r) => r.status);

    expect(statuses.filter((st) => st === 409)).toHaveLength(1);
    expect(await activeBrokers(storage, id)).toHaveLength(1);
  });

  it('(b) a revocation and a role change at once: the person stays revoked, and a role change answered 200 is kept', async () => {
    const { s, f, id, storage } = await setUp();
    const x = await invite(f, s, { role: 'negotiator', name: 'Nia Otieno', party: f.ngoId });
    const me = (await api<AgreementView>(s, 'GET', `/api/agreements/${id}`, undefined, f.brokerToken)).body.me.personId;
    await seen(storage, id, [me]);

    const held = holdCalls(storage, PERSON_WRITE);
    const answers = Promise.all([
      api(s, 'DELETE', `/api/agreements/${id}/people/${x.personId}`, undefined, f.brokerToken),
      api<{ code?: string }>(s, 'PATCH', `/api/agreements/${id}/people/${x.personId}`, { role: 'observer' }, f.brokerToken),
    ]);
    await waitFor(() => held.waiting === 2, { what: 'the revocation and the role change about to write' });
    await held.release();
    const [revoked, changed] = await answers;

    expect(revoked.status).toBe(204);
    const after = await api<{ code?: string }>(s, 'GET', `/api/agreements/${id}`, undefined, x.token);
    expect(after.status).toBe(401);
    expect(after.body.code).toBe('access_revoked');
    const stored = (await storage.getAgreement(id))!.people.find((p) => p.id === x.personId)!;
    expect(stored.revokedAt).toBeDefined();
    // 200: the change came first, and the revocation after it kept it; otherwise it was refused.
    if (changed.status === 200) expect(stored.role).toBe('observer');
    else expect(changed.body.code).toBe('person_revoked');
  });

  it('(c) a last-seen time written after a revocation does not let the person back in', async () => {
    const { s, f, id, storage } = await setUp();
    const y = await invite(f, s, { role: 'observer', name: 'Yusuf' });
    const me = (await api<AgreementView>(s, 'GET', `/api/agreements/${id}`, undefined, f.brokerToken)).body.me.personId;
    await seen(storage, id, [me]);

    // Y's first request: its last-seen write waits while the broker revokes Y.
    const held = holdCalls(storage, PERSON_WRITE, 1);
    expect((await api(s, 'GET', `/api/agreements/${id}`, undefined, y.token)).status).toBe(200);
    await waitFor(() => held.waiting === 1, { what: "Y's last-seen write" });
    expect((await api(s, 'DELETE', `/api/agreements/${id}/people/${y.personId}`, undefined, f.brokerToken)).status).toBe(204);
    await held.release();

    expect((await api(s, 'GET', `/api/agreements/${id}`, undefined, y.token)).status).toBe(401);
    const stored = (await storage.getAgreement(id))!.people.find((p) => p.id === y.personId)!;
    expect(stored.revokedAt).toBeDefined();
    expect(stored.links!.every((l) => l.revokedAt)).toBe(true);
  });

  it('(c) a last-seen time written after a role change keeps the new role, and is still recorded', async () => {
    const { s, f, id, storage } = await setUp();
    const y = await invite(f, s, { role: 'negotiator', name: 'Yusuf', party: f.businessId });
    const me = (await api<AgreementView>(s, 'GET', `/api/agreements/${id}`, undefined, f.brokerToken)).body.me.personId;
    await seen(storage, id, [me]);

    const held = holdCalls(storage, PERSON_WRITE, 1);
    expect((await api(s, 'GET', `/api/agreements/${id}`, undefined, y.token)).status).toBe(200);
    await waitFor(() => held.waiting === 1, { what: "Y's last-seen write" });
    expect((await api(s, 'PATCH', `/api/agreements/${id}/people/${y.personId}`, { role: 'observer' }, f.brokerToken)).status).toBe(200);
    await held.release();

    const after = await api<AgreementView>(s, 'GET', `/api/agreements/${id}`, undefined, y.token);
    expect(after.status).toBe(200);
    expect(after.body.me.role).toBe('observer');
    const stored = (await storage.getAgreement(id))!.people.find((p) => p.id === y.personId)!;
    expect(stored).toMatchObject({ role: 'observer', lastSeenAt: expect.any(String) });
    expect(stored.party).toBeUndefined();
  });
});
