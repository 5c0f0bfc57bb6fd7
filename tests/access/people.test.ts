import { expect, it } from 'vitest';
import type { AgreementView, InviteResponse } from '#shared/protocol';
import { CloseCode } from '#shared/protocol';
import { MAX_LINKS_KEPT_PER_PERSON, type AuditEntry, type LinkResponse, type PeopleResponse } from '#shared/access';
import { caucusRoom, recordsRoom } from '#shared/rooms';
import { useHarness } from '../support/harness';
import { api, createAgreement, type TestServer } from '../support/server';
import type { Storage } from '../../server/src/storage/port';
import { paragraphText, synced, type TestClient } from '../support/clients';
import { waitFor } from '../support/poll';

const h = useHarness();

/** Resolves with the first close code the server sends this client. */
function closeCode(client: TestClient): Promise<number> {
  return new Promise((resolve) => {
    client.provider.on('connection-close', (event) => {
      if (event) resolve(event.code);
    });
  });
}

async function personId(s: TestServer, agreementId: string, token: string, name: string): Promise<string> {
  const { body } = await api<PeopleResponse>(s, 'GET', `/api/agreements/${agreementId}/people`, undefined, token);
  return body.people.find((p) => p.name === name)!.id;
}

it('revoking a person closes their open connections within a second with a final code, and their token is 401 afterwards', async () => {
  const s = await h.start();
  const f = await createAgreement(s);
  const id = f.agreement.id;
  const nia = await f.invite({ role: 'negotiator', name: 'Nia Otieno', party: f.ngoId });
  const niaText = h.connect(s, id, nia);
  const niaCaucus = h.connect(s, caucusRoom(id, f.ngoId), nia);
  const broker = h.connect(s, id, f.brokerToken);
  await Promise.all([synced(niaText), synced(niaCaucus), synced(broker)]);
  paragraphText(niaText.doc).insert(0, 'Nia wrote this.');
  niaText.provider.awareness.setLocalStateField('user', { name: 'Nia' });
  await waitFor(() => broker.provider.awareness.getStates().has(niaText.doc.clientID), { what: "Nia's presence" });
  const thread = await api(s, 'POST', `/api/agreements/${id}/threads`, { body: 'A note in the caucus.', caucus: true }, nia);
  expect(thread.status).toBe(201);

  const codes = [closeCode(niaText), closeCode(niaCaucus)];
  const niaId = await personId(s, id, f.brokerToken, 'Nia Otieno');
  const started = Date.now();
  const revoked = await fetch(`${s.http}/api/agreements/${id}/people/${niaId}`, { method: 'DELETE', headers: { authorization: `Bearer ${f.brokerToken}` } });
  expect(revoked.status).toBe(204);
  expect(await Promise.all(codes)).toEqual([CloseCode.AccessEnded, CloseCode.AccessEnded]);
  expect(Date.now() - started).toBeLessThan(1000);

  // The stock client stops for good; the others no longer see Nia.
  expect(niaText.provider.shouldConnect).toBe(false);
  await waitFor(() => !broker.provider.awareness.getStates().has(niaText.doc.clientID), { what: 'presence gone' });
  const after = await api<{ error: string; code?: string }>(s, 'GET', `/api/agreements/${id}`, undefined, nia);
  expect(after.status).toBe(401);
  expect(after.body.code).toBe('access_revoked');
  expect((await api(s, 'GET', `/api/agreements/${id}/threads?caucus=1`, undefined, nia)).status).toBe(401);

  // What Nia wrote stays, and she stays listed, as revoked.
  expect(broker.doc.getXmlFragment('content').toString()).toContain('Nia wrote this.');
  const people = await api<PeopleResponse>(s, 'GET', `/api/agreements/${id}/people`, undefined, f.brokerToken);
  expect(people.body.people.find((p) => p.id === niaId)).toMatchObject({ revoked: true, linksOutstanding: 0 });
});

/**
 * Holds back the answer of the next reading of the agreement (a connection checking its token): it reads the
 * people as stored then, and hears back only when released, as a database answer overtaken by a later write can.
 */
function answerNextReadLate(storage: Storage): { read: Promise<void>; release: () => void } {
  const original = storage.getAgreement.bind(storage);
  let release = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  let readDone = () => {};
  const read = new Promise<void>((resolve) => (readDone = resolve));
  storage.getAgreement = async (agreementId) => {
    storage.getAgreement = original;
    const answer = structuredClone(await original(agreementId));
    readDone();
    await released;
    return answer;
  };
  return { read, release };
}

it.each([
  ['revoked', 'DELETE', undefined, [CloseCode.AccessChanged, CloseCode.AccessEnded]],
  ['made an observer', 'PATCH', { role: 'observer' }, [CloseCode.AccessChanged]],
] as const)(
  'a negotiator %s while their connection checks its token: it does not join with the rights it read, it reads them again',
  async (_what, method, body, codes) => {
    const s = await h.start();
    const f = await createAgreement(s);
    const id = f.agreement.id;
    const nia = await f.invite({ role: 'negotiator', name: 'Nia Otieno', party: f.ngoId });
    const niaId = await personId(s, id, f.brokerToken, 'Nia Otieno');
    const late = answerNextReadLate(s.app.ctx.storage);
    const client = h.connect(s, id, nia);
    await late.read;
    expect((await api(s, method, `/api/agreements/${id}/people/${niaId}`, body, f.brokerToken)).status).toBeLessThan(300);
    late.release();

    await waitFor(() => client.closes.length === codes.length, { what: 'the connection told to read its rights again' });
    expect(client.closes.map((c) => c.code)).toEqual(codes);
    // Whatever it writes now reaches nobody.
    await waitFor(() => client.provider.synced || !client.provider.shouldConnect, { what: 'reconnected or stopped' });
    paragraphText(client.doc).insert(0, 'Written after the change.');
    const broker = h.connect(s, id, f.brokerToken);
    await synced(broker);
    paragraphText(broker.doc).insert(0, 'Broker marks the end. ');
    await waitFor(() => broker.doc.getXmlFragment('content').toString().includes('Broker marks the end.'), { what: 'the marker' });
    expect(broker.doc.getXmlFragment('content').toString()).not.toContain('Written after the change.');
  },
);

it('refuses an expired link on the API and the websocket, and says it expired', async () => {
  const s = await h.start();
  const f = await createAgreement(s);
  const id = f.agreement.id;
  const invite = await api<InviteResponse>(s, 'POST', `/api/agreements/${id}/invites`, { role: 'observer', name: 'Olu', expiresInDays: 1 }, f.brokerToken);
  expect(invite.status).toBe(201);
  expect(Date.parse(invite.body.expiresAt!) - Date.now()).toBeGreaterThan(23 * 3600_000);
  expect((await api(s, 'GET', `/api/agreements/${id}`, undefined, invite.body.token)).status).toBe(200);

  // A day passes: the stored link says it has expired (the token's own `exp` is checked too, below).
  const record = (await s.app.ctx.storage.getAgreement(id))!;
  const olu = record.people.find((p) => p.id === invite.body.personId)!;
  await s.app.ctx.storage.updatePerson(id, olu.id, (p) => ({
    ...p,
    links: p.links!.map((l) => ({ ...l, expiresAt: new Date(Date.now() - 1000).toISOString() })),
  }));
  const expired = await api<{ code?: string; error: string }>(s, 'GET', `/api/agreements/${id}`, undefined, invite.body.token);
  expect(expired.status).toBe(401);
  expect(expired.body).toEqual({ error: expect.stringMatching(/expired.*ask the broker/), code: 'link_expired' });
  const socket = h.connect(s, id, invite.body.token);
  expect(await closeCode(socket)).toBe(CloseCode.AccessEnded);

  // A token whose `exp` has passed is refused whatever the records say.
  const link = s.app.ctx.access.newLink(30);
  await s.app.ctx.storage.updatePerson(id, olu.id, (p) => ({ ...p, links: [link] }));
  const stale = await s.app.ctx.tokens.sign({ agreementId: id, personId: olu.id, linkId: link.id }, new Date(Date.now() - 1000).toISOString());
  expect((await api<{ code?: string }>(s, 'GET', `/api/agreements/${id}`, undefined, stale)).body.code).toBe('link_expired');
});

it('ends an open connection when its link expires, as the API refuses it from then on', async () => {
  const s = await h.start();
  const f = await createAgreement(s);
  const id = f.agreement.id;
  const invite = await api<InviteResponse>(
    s,
    'POST',
    `/api/agreements/${id}/invites`,
    { role: 'negotiator', name: 'Nia', party: f.ngoId, expiresInDays: 1 },
    f.brokerToken,
  );
  // The day is nearly over: the stored link expires in a moment.
  const expiresAt = new Date(Date.now() + 1500).toISOString();
  await s.app.ctx.storage.updatePerson(id, invite.body.personId, (p) => ({ ...p, links: p.links!.map((l) => ({ ...l, expiresAt })) }));
  const nia = h.connect(s, id, invite.body.token);
  await synced(nia);
  await waitFor(() => nia.closes.length > 0, { timeoutMs: 5000, what: 'the connection ended at the link’s expiry' });
  expect(nia.closes[0]).toEqual({ code: CloseCode.AccessEnded, reason: 'this link has expired' });
  expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(expiresAt));
  expect(nia.provider.shouldConnect).toBe(false);
});

it('takes expiresInDays from 1 to 365 or null, 30 by default', async () => {
  const s = await h.start();
  const f = await createAgreement(s);
  const path = `/api/agreements/${f.agreement.id}/invites`;
  for (const bad of [0, 366, 1.5, '30']) {
    expect((await api(s, 'POST', path, { role: 'observer', name: 'O', expiresInDays: bad }, f.brokerToken)).status).toBe(400);
  }
  const never = await api<InviteResponse>(s, 'POST', path, { role: 'observer', name: 'O', expiresInDays: null }, f.brokerToken);
  expect(never.body.expiresAt).toBeNull();
  const byDefault = await api<InviteResponse>(s, 'POST', path, { role: 'observer', name: 'P' }, f.brokerToken);
  expect(Math.round((Date.parse(byDefault.body.expiresAt!) - Date.now()) / 86_400_000)).toBe(30);
});

it('re-issues a link: the new one works, the old one is revoked and its connections end', async () => {
  const s = await h.start();
  const f = await createAgreement(s);
  const id = f.agreement.id;
  const oldToken = await f.invite({ role: 'broker', name: 'Co Broker' });
  const old = h.connect(s, id, oldToken);
  await synced(old);
  const coId = await personId(s, id, f.brokerToken, 'Co Broker');
  const ended = closeCode(old);
  const res = await api<LinkResponse>(s, 'POST', `/api/agreements/${id}/people/${coId}/links`, { expiresInDays: 7 }, f.brokerToken);
  expect(res.status).toBe(201);
  expect(res.body).toEqual({ token: expect.any(String), url: `/a/${id}#token=${res.body.token}`, expiresAt: expect.any(String) });
  expect(await ended).toBe(CloseCode.AccessEnded);
  expect((await api(s, 'GET', `/api/agreements/${id}`, undefined, oldToken)).status).toBe(401);
  expect((await api<AgreementView>(s, 'GET', `/api/agreements/${id}`, undefined, res.body.token)).body.me).toMatchObject({ name: 'Co Broker', role: 'broker' });

  // A co-broker gives the creator, who lost their link, a new one; no body means the default expiry.
  const creatorId = await personId(s, id, res.body.token, 'Brook Broker');
  const again = await api<LinkResponse>(s, 'POST', `/api/agreements/${id}/people/${creatorId}/links`, undefined, res.body.token);
  expect(again.status).toBe(201);
  expect((await api(s, 'GET', `/api/agreements/${id}`, undefined, f.brokerToken)).status).toBe(401);
  expect((await api(s, 'GET', `/api/agreements/${id}`, undefined, again.body.token)).status).toBe(200);
});

it('changes a role without a new identity: open connections reconnect with the new rights', async () => {
  const s = await h.start();
  const f = await createAgreement(s);
  const id = f.agreement.id;
  const olu = await f.invite({ role: 'observer', name: 'Olu' });
  const oluId = await personId(s, id, f.brokerToken, 'Olu');
  const reader = h.connect(s, id, olu);
  const watcher = h.connect(s, id, f.brokerToken);
  await Promise.all([synced(reader), synced(watcher)]);
  paragraphText(reader.doc).insert(0, 'dropped ');
  await waitFor(() => s.app.ctx.rooms.with(id, (r) => r.droppedUpdates > 0), { what: 'observer update dropped' });

  const reconnected = closeCode(reader);
  const path = `/api/agreements/${id}/people/${oluId}`;
  expect((await api(s, 'PATCH', path, { role: 'negotiator' }, f.brokerToken)).status).toBe(400); // a negotiator needs a party
  const changed = await api<{ person: { role: string; party?: string } }>(s, 'PATCH', path, { role: 'negotiator', party: f.ngoId }, f.brokerToken);
  expect(changed.status).toBe(200);
  expect(changed.body.person).toMatchObject({ role: 'negotiator', party: f.ngoId });
  expect(await reconnected).toBe(CloseCode.AccessChanged);
  await waitFor(() => reader.provider.synced, { what: 'reconnected' });
  paragraphText(reader.doc).insert(0, 'now written ');
  await waitFor(() => watcher.doc.getXmlFragment('content').toString().includes('now written'), { what: 'the new negotiator writes' });
  expect((await api<AgreementView>(s, 'GET', `/api/agreements/${id}`, undefined, olu)).body.me).toMatchObject({ role: 'negotiator', party: f.ngoId });

  // Back to observer: the party goes with the role, and the caucus closes for good.
  const caucus = h.connect(s, caucusRoom(id, f.ngoId), olu);
  await synced(caucus);
  const closed = new Promise<number>((resolve) => caucus.provider.on('closed', (e) => resolve(e.code)));
  expect((await api(s, 'PATCH', path, { role: 'observer', party: f.ngoId }, f.brokerToken)).status).toBe(400);
  expect((await api(s, 'PATCH', path, { role: 'observer' }, f.brokerToken)).status).toBe(200);
  expect(await closed).toBe(CloseCode.Forbidden);
  expect((await api<AgreementView>(s, 'GET', `/api/agreements/${id}`, undefined, olu)).body.me).not.toHaveProperty('party');
});

it('keeps a caucus to its party negotiators: no other token reads it, broker-minted ones included', async () => {
  const s = await h.start();
  const f = await createAgreement(s);
  const id = f.agreement.id;
  const invites = `/api/agreements/${id}/invites`;
  // Only negotiators belong to a party: a broker cannot mint an observer "of party A".
  for (const role of ['observer', 'legal', 'broker']) {
    const res = await api<{ error: string }>(s, 'POST', invites, { role, name: 'Spy', party: f.ngoId }, f.brokerToken);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/only negotiators/);
  }
  const member = await f.invite({ role: 'negotiator', name: 'Nia', party: f.ngoId });
  expect((await api(s, 'POST', `/api/agreements/${id}/threads`, { body: 'Our floor is 40%.', caucus: true }, member)).status).toBe(201);

  // A person stored with a party from before this rule (an observer "of" the NGO) gains nothing by it.
  const legacyObserver = await f.invite({ role: 'observer', name: 'Old Observer' });
  const record = (await s.app.ctx.storage.getAgreement(id))!;
  const stored = record.people.find((p) => p.name === 'Old Observer')!;
  await s.app.ctx.storage.updatePerson(id, stored.id, (p) => ({ ...p, party: f.ngoId }));

  const outsiders = [
    f.brokerToken,
    await f.invite({ role: 'broker', name: 'Co Broker' }),
    await f.invite({ role: 'legal', name: 'Lena' }),
    await f.invite({ role: 'observer', name: 'Olu' }),
    await f.invite({ role: 'negotiator', name: 'Ben', party: f.businessId }),
    legacyObserver,
  ];
  for (const token of outsiders) {
    const read = await api<{ threads?: { caucus?: boolean }[] }>(s, 'GET', `/api/agreements/${id}/threads?caucus=1`, undefined, token);
    // Either refused, or (the other party's negotiator) their own, empty caucus.
    if (read.status === 200) expect(read.body.threads).toEqual([]);
    else expect(read.status).toBe(403);
    const socket = h.connect(s, caucusRoom(id, f.ngoId), token);
    expect(await closeCode(socket)).toBe(CloseCode.Forbidden);
  }
  expect((await api<{ threads: unknown[] }>(s, 'GET', `/api/agreements/${id}/threads?caucus=1`, undefined, member)).body.threads).toHaveLength(1);
});

it('lists people for brokers with who invited them, when they were last seen and their links; others see less', async () => {
  const s = await h.start();
  const f = await createAgreement(s);
  const id = f.agreement.id;
  const nia = await f.invite({ role: 'negotiator', name: 'Nia', party: f.ngoId });
  await f.invite({ role: 'observer', name: 'Olu' });
  const live = h.connect(s, recordsRoom(id), nia);
  await synced(live);
  const { body } = await api<PeopleResponse>(s, 'GET', `/api/agreements/${id}/people`, undefined, f.brokerToken);
  const byName = Object.fromEntries(body.people.map((p) => [p.name, p]));
  expect(byName.Nia).toMatchObject({
    role: 'negotiator',
    party: f.ngoId,
    revoked: false,
    invitedBy: { name: 'Brook Broker' },
    linksOutstanding: 1,
    lastSeenAt: expect.any(String),
  });
  expect(byName.Nia.links).toEqual([{ id: expect.any(String), issuedAt: expect.any(String), expiresAt: expect.any(String), active: true }]);
  expect(byName.Olu.lastSeenAt).toBeUndefined();
  expect(byName['Brook Broker'].links![0].expiresAt).toBeNull();

  const asNia = await api<PeopleResponse>(s, 'GET', `/api/agreements/${id}/people`, undefined, nia);
  expect(asNia.body.people.every((p) => p.links === undefined && p.invitedBy === undefined)).toBe(true);
  const niaId = byName.Nia.id;
  for (const [method, path, payload] of [
    ['DELETE', `/people/${niaId}`, undefined],
    ['POST', `/people/${niaId}/links`, {}],
    ['PATCH', `/people/${niaId}`, { role: 'observer' }],
  ] as const) {
    expect((await api(s, method, `/api/agreements/${id}${path}`, payload, nia)).status).toBe(403);
  }
  expect((await api(s, 'DELETE', `/api/agreements/${id}/people/nobody`, undefined, f.brokerToken)).status).toBe(404);
});

it('caps the people of an agreement (409 too_many_people past it) and the links kept per person, so a loop of invitations or new links cannot grow the metadata every request reads', async () => {
  const s = await h.start({ maxPeoplePerAgreement: 4 });
  const f = await createAgreement(s);
  const id = f.agreement.id;
  const path = `/api/agreements/${id}/invites`;
  for (const name of ['Ana', 'Bea', 'Cai']) expect((await api(s, 'POST', path, { role: 'observer', name }, f.brokerToken)).status).toBe(201);
  const over = await api<{ code: string; error: string }>(s, 'POST', path, { role: 'observer', name: 'Dee' }, f.brokerToken);
  expect(over).toMatchObject({ status: 409, body: { code: 'too_many_people', error: expect.stringMatching(/new link/) } });

  // An existing person still gets new links; only the latest ones are kept, and the newest works.
  const ana = await personId(s, id, f.brokerToken, 'Ana');
  let latest = '';
  for (let i = 0; i < MAX_LINKS_KEPT_PER_PERSON + 5; i++) {
    const res = await api<LinkResponse>(s, 'POST', `/api/agreements/${id}/people/${ana}/links`, {}, f.brokerToken);
    expect(res.status).toBe(201);
    latest = res.body.token;
  }
  const stored = (await s.app.ctx.storage.getAgreement(id))!.people.find((p) => p.id === ana)!;
  expect(stored.links).toHaveLength(MAX_LINKS_KEPT_PER_PERSON);
  expect((await api(s, 'GET', `/api/agreements/${id}`, undefined, latest)).status).toBe(200);
});

it('never leaves an agreement without a broker', async () => {
  const s = await h.start();
  const f = await createAgreement(s);
  const id = f.agreement.id;
  const me = await personId(s, id, f.brokerToken, 'Brook Broker');
  expect((await api(s, 'DELETE', `/api/agreements/${id}/people/${me}`, undefined, f.brokerToken)).status).toBe(409);
  expect((await api(s, 'PATCH', `/api/agreements/${id}/people/${me}`, { role: 'observer' }, f.brokerToken)).status).toBe(409);
  await f.invite({ role: 'broker', name: 'Co Broker' });
  expect((await api(s, 'PATCH', `/api/agreements/${id}/people/${me}`, { role: 'observer' }, f.brokerToken)).status).toBe(200);
});

it('keeps an audit log that brokers and legal reviewers read, as JSON or CSV', async () => {
  // A leave is written once the person has stayed away this long (a rejoin within it is no new visit).
  const s = await h.start({ auditRejoinGraceMs: 100 });
  const f = await createAgreement(s);
  const id = f.agreement.id;
  const legal = await f.invite({ role: 'legal', name: 'Lena' });
  const olu = await f.invite({ role: 'observer', name: '=HYPERLINK("x")' });
  const oluId = await personId(s, id, f.brokerToken, '=HYPERLINK("x")');
  const viewer = h.connect(s, id, legal);
  await synced(viewer);
  viewer.destroy();
  await api(s, 'PATCH', `/api/agreements/${id}/people/${oluId}`, { role: 'legal' }, f.brokerToken);
  await api(s, 'POST', `/api/agreements/${id}/people/${oluId}/links`, {}, f.brokerToken);
  await api(s, 'DELETE', `/api/agreements/${id}/people/${oluId}`, undefined, f.brokerToken);
  await api(s, 'POST', `/api/agreements/${id}/phase`, { phase: 'managing' }, f.brokerToken);
  const exported = await fetch(`${s.http}/api/agreements/${id}/snapshots/live/export?format=md`, { headers: { authorization: `Bearer ${legal}` } });
  expect(exported.status).toBe(200);

  const kinds = async () => (await api<{ entries: AuditEntry[] }>(s, 'GET', `/api/agreements/${id}/audit`, undefined, legal)).body.entries.map((e) => e.kind);
  await waitFor(async () => (await kinds()).includes('person.left'), { what: 'leave recorded' });
  expect(await kinds()).toEqual(
    expect.arrayContaining([
      'agreement.created',
      'invite.created',
      'person.joined',
      'person.left',
      'role.changed',
      'link.reissued',
      'person.revoked',
      'phase.changed',
      'export.downloaded',
    ]),
  );
  expect((await api(s, 'GET', `/api/agreements/${id}/audit`, undefined, olu)).status).toBe(401);
  const observer = await f.invite({ role: 'observer', name: 'Another' });
  expect((await api(s, 'GET', `/api/agreements/${id}/audit`, undefined, observer)).status).toBe(403);

  const csv = await fetch(`${s.http}/api/agreements/${id}/audit?format=csv`, { headers: { authorization: `Bearer ${f.brokerToken}` } });
  expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
  const text = await csv.text();
  expect(text.split('\r\n')[0]).toBe('"at","kind","by","by role","subject","subject role","detail"');
  // A name that is a spreadsheet formula is written as text.
  expect(text).toContain(`"'=HYPERLINK(""x"")"`);
  expect(text).not.toContain(legal);
});
