import { expect, it } from 'vitest';
import { anchorAt, contentFragment } from '#shared/anchors';
import type { ConsentRound, LiveSession, Minutes } from '#shared/sessions';
import type { Thread } from '#shared/threads';
import { synced } from '../support/clients';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { startServer } from '../support/server';
import { readZip } from '../support/zip';
import { fingerprint } from '../../server/src/features/snapshots/fingerprint';
import { toMarkdown } from '../../server/src/features/snapshots/export/markdown';
import { toHtml } from '../../server/src/features/snapshots/export/html';
import { minutesContent } from '../../server/src/features/sessions/minutesDocument';
import type { AgreementRecord } from '../../server/src/storage/port';
import type { ExportInput } from '../../server/src/features/snapshots/export/meta';
import { present, sessionCast } from './support';

const h = useHarness();

it('the minutes hold attendance from presence, time per item, decisions, rounds, stances, threads, parked points and actions; they survive a restart and export', async () => {
  const server = await h.start();
  const c = await sessionCast(h, server);
  // Present before the start: the broker, Nia (NGO) and Lena (legal). Ben (business) comes later.
  const people = [c.broker, c.ngo, c.legal].map((token) => present(h, server, c.id, token));
  await Promise.all(people.map((p) => synced(p)));
  const session = await c.startSession();
  const s = `/sessions/${session.id}`;
  const [water, aob] = session.agenda;
  const minutesSoFar = () => c.call<{ sessions: LiveSession[] }>(c.legal, 'GET', '/sessions');
  expect((await minutesSoFar()).body.sessions[0]).toMatchObject({ status: 'running', currentItemId: water.id });

  const ben = present(h, server, c.id, c.business);
  await synced(ben);
  await waitFor(() => server.app.ctx.rooms.with(`${c.id}.records`, (r) => r.doc.getArray('attendance').length >= 4), { what: 'Ben’s arrival recorded' });

  // Item 1: a round (NGO agrees, business objects), a thread opened and resolved, a parked point, a decision, an action.
  const round = (await c.call<ConsentRound>(c.broker, 'POST', `${s}/rounds`, {})).body;
  await c.call(c.ngo, 'POST', `${s}/rounds/${round.id}/answers`, { answer: 'agree' });
  await c.call(c.business, 'POST', `${s}/rounds/${round.id}/answers`, { answer: 'object', reason: 'The band is too wide' });
  expect((await c.call(c.broker, 'POST', `${s}/rounds/${round.id}/close`)).status).toBe(200);
  const anchor = anchorAt(contentFragment(people[1].doc), 20, 27);
  const thread = (await c.call<{ thread: Thread }>(c.ngo, 'POST', '/threads', { anchor, body: 'Which households first?' })).body.thread;
  expect(thread.quote).toBe('What we');
  expect((await c.call(c.broker, 'POST', `/threads/${thread.id}/resolve`, {})).status).toBe(200);
  const parked = await c.call<{ id: string }>(c.broker, 'POST', '/parked', { note: 'Who maintains the pumps?', objectiveId: 'obj1' });
  expect(parked.status).toBe(201);
  const onPassage = await c.call<{ quote: string }>(c.broker, 'POST', '/parked', { note: 'Define “together”', anchor });
  expect(onPassage.body.quote).toBe('What we');
  await c.call(c.broker, 'POST', `${s}/decisions`, { text: 'Start with the northern villages' });
  await c.call(c.broker, 'POST', `${s}/actions`, { what: 'Survey the wells', owner: { kind: 'party', id: c.fx.ngoId }, due: '2027-02-01' });

  // Item 2, then Ben leaves before the end.
  expect((await c.call(c.broker, 'POST', `${s}/current`, { itemId: aob.id })).status).toBe(200);
  await c.call(c.broker, 'POST', `${s}/decisions`, { text: 'Next session in March' });
  ben.destroy();
  await waitFor(() => server.app.ctx.rooms.with(`${c.id}.records`, (r) => r.doc.getArray('attendance').length >= 5), { what: 'Ben’s leaving recorded' });

  const ended = await c.call<Minutes>(c.broker, 'POST', `${s}/end`);
  expect(ended.status).toBe(200);
  const minutes = ended.body;
  expect(minutes.title).toBe('Working session 3');
  expect(minutes.durationSeconds).toBeGreaterThanOrEqual(0);
  expect(minutes.endedAt >= minutes.startedAt).toBe(true);
  const who = Object.fromEntries(minutes.attendees.map((a) => [a.name, a]));
  expect(Object.keys(who).sort()).toEqual(['Ben', 'Brook Broker', 'Lena', 'Nia']);
  expect(who.Ben).toMatchObject({ role: 'negotiator', party: c.fx.businessId, partyName: 'Acme Beverages' });
  expect(who.Nia).toMatchObject({ role: 'negotiator', partyName: 'WaterAid Kenya' });
  expect(who.Lena.role).toBe('legal');
  expect(who.Nia.present).toEqual([{ joinedAt: minutes.startedAt, leftAt: minutes.endedAt }]);
  expect(who.Ben.present).toHaveLength(1);
  expect(who.Ben.present[0].joinedAt > minutes.startedAt && who.Ben.present[0].leftAt < minutes.endedAt).toBe(true);
  expect(minutes.absentParties).toEqual([]);

  const [first, second] = minutes.items;
  expect(first).toMatchObject({ itemId: water.id, title: 'Safe water', plannedMinutes: 20 });
  expect(first.spentSeconds + second.spentSeconds).toBeLessThanOrEqual(minutes.durationSeconds + 1);
  expect(first.decisions.map((d) => d.text)).toEqual(['Start with the northern villages']);
  expect(first.rounds).toHaveLength(1);
  expect(first.rounds[0].results).toEqual([
    expect.objectContaining({ party: c.fx.ngoId, answer: 'agree' }),
    expect.objectContaining({ party: c.fx.businessId, answer: 'object', reason: 'The band is too wide' }),
  ]);
  expect(first.stancesChanged.map((x) => x.text)).toEqual([
    'WaterAid Kenya: Agree on “Safe water for households”',
    'Acme Beverages: Object on “Safe water for households”',
  ]);
  expect(first.threadsOpened).toEqual([expect.objectContaining({ id: thread.id, quote: 'What we', by: expect.objectContaining({ name: 'Nia' }) })]);
  expect(first.threadsResolved).toEqual([expect.objectContaining({ id: thread.id, by: expect.objectContaining({ name: 'Brook Broker' }) })]);
  expect(first.parked.map((p) => p.note)).toEqual(['Who maintains the pumps?', 'Define “together”']);
  expect(first.actions).toEqual([
    expect.objectContaining({ what: 'Survey the wells', due: '2027-02-01', owner: { kind: 'party', id: c.fx.ngoId, name: 'WaterAid Kenya' } }),
  ]);
  expect(second.decisions.map((d) => d.text)).toEqual(['Next session in March']);
  expect(second.rounds).toEqual([]);
  expect(second.threadsOpened).toEqual([]);
  expect(minutes.openParked.map((p) => p.note).sort()).toEqual(['Define “together”', 'Who maintains the pumps?']);

  // The snapshot of the text, labelled with the session.
  const snapshots = (await c.call<{ id: string; label: string; reason: string; hash: string }[]>(c.legal, 'GET', '/snapshots')).body;
  const snap = snapshots.find((x) => x.reason === 'session');
  expect(snap).toMatchObject({ label: 'Session: Working session 3', id: minutes.snapshot?.id, hash: minutes.snapshot?.hash });

  // A parked point stays listed across sessions until resolved.
  expect((await c.call(c.broker, 'POST', `/parked/${parked.body.id}/resolve`)).status).toBe(200);

  // Exports: Markdown and HTML carry a fingerprint chained to the session's snapshot; the .docx opens.
  const get = (format: string) =>
    fetch(`${server.http}/api/agreements/${c.id}${s}/minutes/export?format=${format}`, { headers: { authorization: `Bearer ${c.observer}` } });
  const md = await (await get('md')).text();
  for (const text of [
    'Minutes: Working session 3',
    'Ben, Negotiator, Acme Beverages',
    'Object (The band is too wide)',
    'Start with the northern villages',
    'Survey the wells: WaterAid Kenya, due 1 February 2027',
    'Who maintains the pumps?',
  ]) {
    expect(md).toContain(text);
  }
  // The session's day and times in words, as every other date of an export: "Date: 1 December 2026, 11:59–12:00 UTC", not a stored ISO day.
  const day = new Date(minutes.startedAt);
  const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
  expect(md).toMatch(new RegExp(`Date: ${day.getUTCDate()} ${months[day.getUTCMonth()]} ${day.getUTCFullYear()}, \\d\\d:\\d\\d–\\d\\d:\\d\\d UTC`));
  expect(md).not.toMatch(/Date: \d{4}-\d\d-\d\d/);
  const proof = JSON.parse(/<!-- common-ground-fingerprint\n([\s\S]*?)\n-->/.exec(md)![1]) as ExportInput & { hash: string; prevHash: string };
  expect(proof.prevHash).toBe(snap!.hash);
  expect(fingerprint(proof.prevHash, proof.content)).toBe(proof.hash);
  expect(toMarkdown(proof)).toBe(md);
  const html = await get('html');
  expect(html.headers.get('content-disposition')).toContain('Minutes - Working session 3.html');
  expect(await html.text()).toContain('<h2>Minutes: Working session 3</h2>');
  const docx = readZip(new Uint8Array(await (await get('docx')).arrayBuffer()));
  expect(docx.get('word/document.xml')?.toString('utf8')).toContain('Start with the northern villages');
  expect((await get('pdf')).status).toBe(400);

  // A restart serves the same records.
  await server.close();
  const again = await startServer({ dataDir: server.dataDir });
  try {
    const res = await fetch(`${again.http}/api/agreements/${c.id}${s}/minutes`, { headers: { authorization: `Bearer ${c.legal}` } });
    expect(await res.json()).toEqual(minutes);
  } finally {
    await again.close();
  }
});

it('a party with nobody present is named in the minutes', async () => {
  const server = await h.start();
  const c = await sessionCast(h, server);
  const broker = present(h, server, c.id, c.broker);
  const nia = present(h, server, c.id, c.ngo);
  await Promise.all([synced(broker), synced(nia)]);
  const session = await c.startSession();
  const minutes = (await c.call<Minutes>(c.broker, 'POST', `/sessions/${session.id}/end`)).body;
  expect(minutes.attendees.map((a) => a.name).sort()).toEqual(['Brook Broker', 'Nia']);
  expect(minutes.absentParties).toEqual(['Acme Beverages']);
  // Ending twice is refused: one end, one set of minutes.
  expect((await c.call(c.broker, 'POST', `/sessions/${session.id}/end`)).status).toBe(409);
});

// Only the header said "UTC": a reader of the body ("Nia: 09:00–10:30", "09:20 WaterAid Kenya: Agree…")
// in Nairobi or Berlin took the times for their own clock, three hours off, or one.
it('every time in the exported minutes says it is UTC: attendance, consent rounds and stance changes, not only the header', () => {
  const nia = { personId: 'p-nia', name: 'Nia', role: 'negotiator', party: 'ngo' } as const;
  const ben = { personId: 'p-ben', name: 'Ben', role: 'negotiator', party: 'biz' } as const;
  const agreement: AgreementRecord = {
    id: 'a1',
    title: 'River Partnership',
    createdAt: '2026-11-01T08:00:00.000Z',
    parties: [
      { id: 'ngo', name: 'WaterAid Kenya', sector: 'ngo' },
      { id: 'biz', name: 'Acme Beverages', sector: 'business' },
    ],
    people: [],
  };
  const round: ConsentRound = {
    id: 'r1',
    sessionId: 's1',
    itemId: 'i1',
    objectiveId: 'obj1',
    objectiveTitle: 'Safe water for households',
    contentHash: 'h',
    status: 'closed',
    openedBy: nia,
    openedAt: '2026-12-01T09:12:00.000Z',
    answers: [],
    closedAt: '2026-12-01T09:18:00.000Z',
    results: [{ party: 'ngo', answer: 'agree', by: nia, at: '2026-12-01T09:14:00.000Z' }],
  };
  const minutes: Minutes = {
    sessionId: 's1',
    title: 'Working session 3',
    startedAt: '2026-12-01T09:00:00.000Z',
    endedAt: '2026-12-01T10:30:00.000Z',
    durationSeconds: 5400,
    attendees: [
      { ...nia, partyName: 'WaterAid Kenya', present: [{ joinedAt: '2026-12-01T09:00:00.000Z', leftAt: '2026-12-01T10:30:00.000Z' }] },
      {
        ...ben,
        partyName: 'Acme Beverages',
        present: [
          { joinedAt: '2026-12-01T09:05:00.000Z', leftAt: '2026-12-01T09:40:00.000Z' },
          { joinedAt: '2026-12-01T10:00:00.000Z', leftAt: '2026-12-01T10:20:00.000Z' },
        ],
      },
    ],
    absentParties: [],
    items: [
      {
        itemId: 'i1',
        title: 'Safe water',
        kind: 'objective',
        plannedMinutes: 20,
        spentSeconds: 1800,
        decisions: [],
        rounds: [round],
        stancesChanged: [{ at: '2026-12-01T09:14:00.000Z', text: 'WaterAid Kenya: Agree on “Safe water for households”', by: nia }],
        threadsOpened: [],
        threadsResolved: [],
        parked: [],
        actions: [],
      },
    ],
    openParked: [],
    snapshot: null,
    endedBy: nia,
  };
  const content = minutesContent(minutes, agreement);
  const meta = {
    agreementTitle: agreement.title,
    label: 'Minutes - Working session 3',
    createdAt: minutes.endedAt,
    hash: fingerprint(null, content),
    prevHash: null,
    live: false,
  };
  const md = toMarkdown({ meta, content });
  const html = toHtml({ meta, content });
  for (const [format, file] of Object.entries({ md, html })) {
    for (const line of [
      'Nia, Negotiator, WaterAid Kenya: 09:00–10:30 UTC',
      'Ben, Negotiator, Acme Beverages: 09:05–09:40 UTC, 10:00–10:20 UTC',
      'Consent round on “Safe water for households” (09:12–09:18 UTC)',
      '09:14 UTC · WaterAid Kenya: Agree on “Safe water for households”',
    ]) {
      expect(file, format).toContain(line);
    }
    // No clock time anywhere in what a person reads (the embedded proof aside) goes without its zone.
    const read = file.replace(/<!-- common-ground-fingerprint[\s\S]*$|<script[\s\S]*?<\/script>/g, '');
    const bare = read.replace(/\d\d:\d\d(:\d\d)?(–\d\d:\d\d)? UTC/g, '').match(/\d\d:\d\d/g);
    expect(bare, format).toBeNull();
  }
});

// The exported minutes' header read "Snapshot: Minutes - Working session 3": they borrowed a
// snapshot's header, so a reader took them for a snapshot of the agreement text.
it('the exported minutes name themselves in their header as the minutes of the session, in Markdown, HTML and .docx; a snapshot’s header is as before', async () => {
  const server = await h.start();
  const c = await sessionCast(h, server);
  const session = await c.startSession();
  expect((await c.call(c.broker, 'POST', `/sessions/${session.id}/end`)).status).toBe(200);
  const api = `${server.http}/api/agreements/${c.id}`;
  const get = (path: string) => fetch(`${api}${path}`, { headers: { authorization: `Bearer ${c.legal}` } });
  const minutesFile = (format: string) => get(`/sessions/${session.id}/minutes/export?format=${format}`);

  const md = await (await minutesFile('md')).text();
  const mdHeader = md.slice(0, md.indexOf('\n---\n'));
  expect(mdHeader).toContain('> Minutes of the session: Working session 3');
  expect(mdHeader).not.toContain('Snapshot');
  const html = await (await minutesFile('html')).text();
  const htmlHeader = /<ul class="cg-meta">([\s\S]*?)<\/ul>/.exec(html)![1];
  expect(htmlHeader).toContain('<li>Minutes of the session: Working session 3</li>');
  expect(htmlHeader).not.toContain('Snapshot');
  const docx = readZip(new Uint8Array(await (await minutesFile('docx')).arrayBuffer()));
  const words = docx.get('word/document.xml')!.toString('utf8');
  expect(words).toContain('Minutes of the session: Working session 3');
  expect(words).not.toContain('Snapshot: ');
  // The checker renders each file again from its proof and finds it unchanged.
  for (const [file, render] of [
    [md, toMarkdown],
    [html, toHtml],
  ] as const) {
    const proof = JSON.parse(
      /<!-- common-ground-fingerprint\n([\s\S]*?)\n-->|<script type="application\/json" id="common-ground-fingerprint">([\s\S]*?)<\/script>/
        .exec(file)!
        .slice(1)
        .find(Boolean)!,
    ) as ExportInput;
    expect(render(proof)).toBe(file);
  }

  // The snapshot of the text taken at the session's end is still called a snapshot.
  const snap = (await c.call<{ id: string; reason: string }[]>(c.legal, 'GET', '/snapshots')).body.find((x) => x.reason === 'session')!;
  const snapshotMd = await (await get(`/snapshots/${snap.id}/export?format=md`)).text();
  expect(snapshotMd).toContain('> Snapshot: Session: Working session 3');
  expect(snapshotMd).not.toContain('Minutes of the session');
});

// An item the session never reached read "Time spent: 0 min of 10 min planned", as one dealt with in under half a minute did.
it('the minutes tell an item never taken up from one dealt with quickly', async () => {
  const server = await h.start();
  const c = await sessionCast(h, server);
  const session = await c.startSession();
  const s = `/sessions/${session.id}`;
  const minutes = (await c.call<Minutes>(c.broker, 'POST', `${s}/end`)).body;
  const md = await (
    await fetch(`${server.http}/api/agreements/${c.id}${s}/minutes/export?format=md`, { headers: { authorization: `Bearer ${c.legal}` } })
  ).text();
  expect(md).toContain('Time spent: 0 min of 20 min planned');
  expect(md).toContain('Not taken up (10 min planned)');
  expect(minutes.items.map((i) => i.takenUp)).toEqual([true, false]);
});

it('a party’s private notes written, answered and resolved during a session never reach its minutes or their exports', async () => {
  const server = await h.start();
  const c = await sessionCast(h, server);
  const session = await c.startSession();
  const s = `/sessions/${session.id}`;
  await c.call(c.broker, 'POST', `${s}/caucus`, { minutes: 10 });
  const note = await c.call<{ thread: Thread }>(c.ngo, 'POST', '/threads', { body: 'Our floor is 40% of the pumps.', caucus: true });
  expect(note.status).toBe(201);
  expect((await c.call(c.ngo, 'POST', `/threads/${note.body.thread.id}/comments`, { body: 'Hold it back until March.', caucus: true })).status).toBe(201);
  expect((await c.call(c.ngo, 'POST', `/threads/${note.body.thread.id}/resolve?caucus=1`, {})).status).toBe(200);
  const ended = await c.call<Minutes>(c.broker, 'POST', `${s}/end`);
  expect(ended.status).toBe(200);
  const exports = await Promise.all(
    ['md', 'html'].map(async (format) =>
      (await fetch(`${server.http}/api/agreements/${c.id}${s}/minutes/export?format=${format}`, { headers: { authorization: `Bearer ${c.business}` } })).text(),
    ),
  );
  for (const text of [JSON.stringify(ended.body), ...exports]) {
    expect(text).not.toMatch(/40%|Hold it back|floor/);
  }
  expect(ended.body.items[0]).toMatchObject({ threadsOpened: [], threadsResolved: [] });
});
