import { expect, it } from 'vitest';
import { RecordsKey } from '#shared/records';
import { contentRoom, recordsRoom } from '#shared/rooms';
import { NO_ANSWER_REASON, type ConsentRound, type LiveSession } from '#shared/sessions';
import type { StanceRecord } from '#shared/objectives';
import { synced } from '../support/clients';
import { objective, writeDocument } from '../support/document';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { sessionCast } from './support';
import { DEFAULT_HTTP_RATE_LIMITS } from '../../server/src/http/security';

const h = useHarness();

interface Listed {
  id: string;
  hash: string;
  status: string;
  statuses: Record<string, string>;
}

it('closing a round writes each party’s answer as its attested stance bound to the objective’s hash, and “no answer” for a silent party', async () => {
  const server = await h.start();
  const c = await sessionCast(h, server);
  const session = await c.startSession();
  const s = `/sessions/${session.id}`;
  const watcher = h.connect(server, recordsRoom(c.id), c.observer);
  await synced(watcher);

  const listed = async () => (await c.call<{ objectives: Listed[] }>(c.legal, 'GET', '/objectives')).body.objectives.find((o) => o.id === 'obj1')!;
  const hash = (await listed()).hash;
  // Earlier, outside any round, the business had agreed: the round's result replaces it.
  expect((await c.call(c.business, 'PUT', '/objectives/obj1/stance', { stance: 'agree' })).status).toBe(200);

  const opened = await c.call<ConsentRound>(c.broker, 'POST', `${s}/rounds`, {});
  expect(opened.status).toBe(201);
  expect(opened.body).toMatchObject({ objectiveId: 'obj1', contentHash: hash, status: 'open', answers: [] });
  const r = `${s}/rounds/${opened.body.id}`;
  expect((await c.call(c.broker, 'POST', `${s}/rounds`, {})).status).toBe(409);

  // Answers arrive live in the records room, party by party.
  expect((await c.call(c.ngo, 'POST', `${r}/answers`, { answer: 'object' })).status).toBe(400);
  expect((await c.call(c.ngo, 'POST', `${r}/answers`, { answer: 'agree', contentHash: 'a'.repeat(64) })).status).toBe(409);
  expect(
    (await c.call(c.ngo, 'POST', `${r}/answers`, { answer: 'reservations', reason: 'Only if the county maintains the pumps', contentHash: hash })).status,
  ).toBe(200);
  await waitFor(() => watcher.doc.getMap<ConsentRound>(RecordsKey.consentRounds).get(opened.body.id)?.answers.length === 1, { what: 'the answer seen live' });
  const live = watcher.doc.getMap<ConsentRound>(RecordsKey.consentRounds).get(opened.body.id)!;
  expect(live.answers[0]).toMatchObject({ party: c.fx.ngoId, answer: 'reservations', by: { name: 'Nia', role: 'negotiator', party: c.fx.ngoId } });
  // Stances are written only when the round closes.
  expect((await listed()).statuses[c.fx.ngoId]).toBe('none');

  const closed = await c.call<ConsentRound>(c.broker, 'POST', `${r}/close`);
  expect(closed.status).toBe(200);
  expect(closed.body.results).toEqual([
    expect.objectContaining({ party: c.fx.ngoId, answer: 'reservations', reason: 'Only if the county maintains the pumps' }),
    { party: c.fx.businessId, answer: 'no_answer' },
  ]);
  // A second close (another broker a moment later) is refused; answers after closing too.
  expect((await c.call(c.broker, 'POST', `${r}/close`)).status).toBe(409);
  expect((await c.call(c.business, 'POST', `${r}/answers`, { answer: 'agree' })).status).toBe(409);

  const stances = watcher.doc.getMap<StanceRecord>(RecordsKey.stances);
  await waitFor(() => stances.get(`obj1:${c.fx.businessId}`)?.round, { what: 'the round’s stances seen live' });
  expect(stances.get(`obj1:${c.fx.ngoId}`)).toMatchObject({
    stance: 'reservations',
    reason: 'Only if the county maintains the pumps',
    contentHash: hash,
    by: { name: 'Nia', party: c.fx.ngoId },
    round: { sessionId: session.id, roundId: opened.body.id },
  });
  expect(stances.get(`obj1:${c.fx.businessId}`)).toMatchObject({ stance: 'not_yet', reason: NO_ANSWER_REASON, contentHash: hash, by: { role: 'broker' } });
  const after = await listed();
  expect(after.statuses).toEqual({ [c.fx.ngoId]: 'reservations', [c.fx.businessId]: 'not_yet' });
  expect(after.status).toBe('waiting');
  // The round is kept, with who answered what and when, and the session has no open round.
  const kept = watcher.doc.getMap<ConsentRound>(RecordsKey.consentRounds).get(opened.body.id)!;
  expect(kept.status).toBe('closed');
  expect(kept.answers).toHaveLength(1);
  expect(watcher.doc.getMap<LiveSession>(RecordsKey.sessions).get(session.id)?.openRoundId).toBeNull();
});

it('a round is bound to the text it opened on: an edit during the round leaves the stances outdated', async () => {
  const server = await h.start();
  const c = await sessionCast(h, server);
  const session = await c.startSession();
  const s = `/sessions/${session.id}`;
  const round = (await c.call<ConsentRound>(c.broker, 'POST', `${s}/rounds`, { objectiveId: 'obj2' })).body;
  expect(round.objectiveId).toBe('obj2');
  await c.call(c.ngo, 'POST', `${s}/rounds/${round.id}/answers`, { answer: 'agree' });
  await c.call(c.business, 'POST', `${s}/rounds/${round.id}/answers`, { answer: 'object', reason: 'Too few jobs' });
  await c.call(c.business, 'POST', `${s}/rounds/${round.id}/answers`, { answer: 'agree' });

  const editor = h.connect(server, contentRoom(c.id), c.ngo);
  await synced(editor);
  writeDocument(editor.doc, {
    type: 'doc',
    content: [objective('obj1', { title: 'Safe water for households' }), objective('obj2', { title: 'Jobs in the basin', band: '30 to 60' })],
  });
  await waitFor(
    async () =>
      (await c.call<{ objectives: Listed[] }>(c.legal, 'GET', '/objectives')).body.objectives.find((o) => o.id === 'obj2')?.hash !== round.contentHash,
    {
      what: 'the edit reaches the server',
    },
  );

  const closed = (await c.call<ConsentRound>(c.broker, 'POST', `${s}/rounds/${round.id}/close`)).body;
  // The business changed its mind within the round: its last answer counts.
  expect(closed.results?.map((r) => r.answer)).toEqual(['agree', 'agree']);
  const obj2 = (await c.call<{ objectives: Listed[] }>(c.legal, 'GET', '/objectives')).body.objectives.find((o) => o.id === 'obj2')!;
  expect(obj2.statuses).toEqual({ [c.fx.ngoId]: 'outdated', [c.fx.businessId]: 'outdated' });
  expect(obj2.status).toBe('outdated');
  // "What changed since" shows the edit made after the round opened, from the text the parties answered on.
  const since = await c.call<{ content: unknown }>(c.legal, 'GET', `/objectives/obj2/changes?party=${c.fx.ngoId}`);
  expect(since.status).toBe(200);
  type Node = { type: string; text?: string; marks?: { type: string }[]; content?: Node[] };
  const band = (since.body.content as Node).content?.[0].content?.find((n) => n.type === 'objectiveBand')?.content ?? [];
  const marked = (mark: string) =>
    band
      .filter((n) => n.marks?.some((m) => m.type === mark))
      .map((n) => n.text)
      .join('');
  // Word by word: "~~20~~30 to ~~40~~60", the unchanged "to" plain.
  expect(band.map((n) => n.text).join('')).toBe('2030 to 4060');
  expect([marked('deletion'), marked('insertion')]).toEqual(['2040', '3060']);
});

it('when a round makes every party agree to every objective, the agreement is snapshotted as with stances given one by one', async () => {
  const server = await h.start();
  const c = await sessionCast(h, server);
  for (const token of [c.ngo, c.business]) expect((await c.call(token, 'PUT', '/objectives/obj2/stance', { stance: 'agree' })).status).toBe(200);
  const session = await c.startSession();
  const s = `/sessions/${session.id}`;
  const round = (await c.call<ConsentRound>(c.broker, 'POST', `${s}/rounds`, {})).body;
  await c.call(c.ngo, 'POST', `${s}/rounds/${round.id}/answers`, { answer: 'agree' });
  await c.call(c.business, 'POST', `${s}/rounds/${round.id}/answers`, { answer: 'agree' });
  await c.call(c.broker, 'POST', `${s}/rounds/${round.id}/close`);
  await waitFor(async () => (await c.call<{ reason: string }[]>(c.legal, 'GET', '/snapshots')).body.some((x) => x.reason === 'agreed'), {
    what: 'the automatic snapshot on full agreement',
    // The snapshot's hashing worker starts on first use: slow on a busy machine.
    timeoutMs: 15_000,
  });
});

/** A running session with an open round: its cast and the round's path. */
async function openRound() {
  // Answers count with stances (30 a minute by default); one test answers in a loop on purpose.
  const server = await h.start({ httpRateLimits: { ...DEFAULT_HTTP_RATE_LIMITS, stancesPerMinute: 1_000 } });
  const c = await sessionCast(h, server);
  const session = await c.startSession();
  const s = `/sessions/${session.id}`;
  const round = (await c.call<ConsentRound>(c.broker, 'POST', `${s}/rounds`, {})).body;
  return { server, c, roundId: round.id, r: `${s}/rounds/${round.id}` };
}

it('a negotiator answering again and again keeps one answer in the round: the record everyone’s browser holds stays small', async () => {
  const { c, r } = await openRound();
  const second = await c.fx.invite({ role: 'negotiator', name: 'Nour', party: c.fx.ngoId });
  await c.call(c.business, 'POST', `${r}/answers`, { answer: 'agree' });
  for (let i = 0; i < 100; i++) {
    expect((await c.call(c.ngo, 'POST', `${r}/answers`, { answer: 'object', reason: `${i} ${'x'.repeat(1990)}` })).status).toBe(200);
  }
  await c.call(second, 'POST', `${r}/answers`, { answer: 'reservations', reason: 'Only with the county' });
  const last = await c.call<ConsentRound>(c.ngo, 'POST', `${r}/answers`, { answer: 'object', reason: 'The band is too wide' });
  // One answer per person, in the order of their latest: Ben, Nour, then Nia again, whose answer now counts for the NGO.
  expect(last.body.answers.map((a) => [a.by.name, a.answer])).toEqual([
    ['Ben', 'agree'],
    ['Nour', 'reservations'],
    ['Nia', 'object'],
  ]);
  expect(JSON.stringify(last.body).length).toBeLessThan(5_000);
  const closed = (await c.call<ConsentRound>(c.broker, 'POST', `${r}/close`)).body;
  expect(closed.results?.map((x) => [x.answer, x.reason])).toEqual([
    ['object', 'The band is too wide'],
    ['agree', undefined],
  ]);
});

// Nia agreed for the NGO; the broker then corrected her party to the business (or made her an observer, or revoked
// her), and the round, closed later, still wrote her "Agree" as the NGO's attested stance: the NGO's consent given by
// someone the broker had found did not speak for it. A round's answers become stances only when it closes.
it('a negotiator moved to another party, made an observer or revoked mid-round has their answers withdrawn from the open round', async () => {
  const { server, c, r, roundId } = await openRound();
  const noor = await c.fx.invite({ role: 'negotiator', name: 'Noor', party: c.fx.ngoId });
  expect((await c.call(c.ngo, 'POST', `${r}/answers`, { answer: 'agree' })).status).toBe(200);
  expect((await c.call(c.business, 'POST', `${r}/answers`, { answer: 'agree' })).status).toBe(200);
  expect((await c.call(noor, 'POST', `${r}/answers`, { answer: 'object', reason: 'Not with this band' })).status).toBe(200);
  const people = (await c.call<{ people: { id: string; name: string }[] }>(c.broker, 'GET', '/people')).body.people;
  const id = (name: string) => people.find((p) => p.name === name)!.id;
  expect((await c.call(c.broker, 'PATCH', `/people/${id('Nia')}`, { role: 'negotiator', party: c.fx.businessId })).status).toBe(200);
  expect((await c.call(c.broker, 'PATCH', `/people/${id('Noor')}`, { role: 'observer' })).status).toBe(200);
  expect((await c.call(c.broker, 'DELETE', `/people/${id('Ben')}`)).status).toBe(204);
  const watcher = h.connect(server, recordsRoom(c.id), c.observer);
  await synced(watcher);
  await waitFor(() => watcher.doc.getMap<ConsentRound>(RecordsKey.consentRounds).get(roundId)?.answers.length === 0, { what: 'the answers withdrawn' });
  // Speaking for the business now, Nia answers for it.
  expect((await c.call(c.ngo, 'POST', `${r}/answers`, { answer: 'object', reason: 'Seen from the business side' })).status).toBe(200);
  const closed = (await c.call<ConsentRound>(c.broker, 'POST', `${r}/close`)).body;
  expect(closed.results?.map((x) => [x.answer, x.by?.name])).toEqual([
    ['no_answer', undefined],
    ['object', 'Nia'],
  ]);
});

it('an answer names the party it was given for: sent after its author was moved to another party, it is refused (403 wrong_party), not counted as the new party’s', async () => {
  const { c, r } = await openRound();
  const people = (await c.call<{ people: { id: string; name: string }[] }>(c.broker, 'GET', '/people')).body.people;
  const nia = people.find((p) => p.name === 'Nia')!;
  expect((await c.call(c.broker, 'PATCH', `/people/${nia.id}`, { role: 'negotiator', party: c.fx.businessId })).status).toBe(200);
  const refused = await c.call(c.ngo, 'POST', `${r}/answers`, { answer: 'object', reason: 'The NGO cannot carry it', party: c.fx.ngoId });
  expect(refused).toMatchObject({ status: 403, body: { code: 'wrong_party' } });
  // For the party she now speaks for, named or not, her answer counts.
  expect((await c.call(c.ngo, 'POST', `${r}/answers`, { answer: 'agree', party: c.fx.businessId })).status).toBe(200);
  const closed = (await c.call<ConsentRound>(c.broker, 'POST', `${r}/close`)).body;
  expect(closed.results?.map((x) => x.answer)).toEqual(['no_answer', 'agree']);
});
