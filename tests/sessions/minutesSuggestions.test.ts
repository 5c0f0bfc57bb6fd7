import { expect, it } from 'vitest';
import type * as Y from 'yjs';
import { anchorAt, contentFragment } from '#shared/anchors';
import type { Minutes } from '#shared/sessions';
import type { Suggestion } from '#shared/suggestions';
import { synced } from '../support/clients';
import { paragraph } from '../support/document';
import { useHarness } from '../support/harness';
import { checkExportFile } from '../support/fingerprintScript';
import { readZip } from '../support/zip';
import { fingerprint } from '../../server/src/features/snapshots/fingerprint';
import { minutesContent } from '../../server/src/features/sessions/minutesDocument';
import { writeRecords } from '../../server/src/records/write';
import type { AgreementRecord } from '../../server/src/storage/port';
import { present, sessionCast, type SessionCast } from './support';

const h = useHarness();

/** Makes a suggestion as `token` on the characters `from`..`to` of the text as `reader` sees it; answers its id. */
async function suggest(c: SessionCast, token: string, reader: { doc: Y.Doc }, from: number, to: number, text: string): Promise<string> {
  const made = await c.call<{ suggestion: Suggestion }>(token, 'POST', '/suggestions', { anchor: anchorAt(contentFragment(reader.doc), from, to), text });
  expect(made.status).toBe(201);
  return made.body.suggestion.id;
}

/** Accepts or rejects a suggestion as `token`. */
async function decide(c: SessionCast, token: string, id: string, how: 'accept' | 'reject'): Promise<void> {
  expect((await c.call(token, 'POST', `/suggestions/${id}/${how}`)).status).toBe(200);
}

/** Downloads the session's minutes in `format` as the observer (every invited person reads them). */
async function minutesFile(server: { http: string }, c: SessionCast, sessionId: string, format: string): Promise<Response> {
  return fetch(`${server.http}/api/agreements/${c.id}/sessions/${sessionId}/minutes/export?format=${format}`, {
    headers: { authorization: `Bearer ${c.observer}` },
  });
}

// A suggestion accepted in a session changes the agreement's words there and then, yet the minutes
// (which keep the stances stated, threads opened and resolved, decisions) said nothing of it: a
// reader of the minutes could not tell the text was changed in the meeting, or by whom.
// Before: expected undefined to deeply equal [ StringContaining "Lena" ] (no such list in the item).
it('the minutes name the suggestions accepted or rejected during each item', async () => {
  const server = await h.start();
  const c = await sessionCast(h, server);
  const nia = present(h, server, c.id, c.ngo);
  await synced(nia);
  const session = await c.startSession();
  const made = await suggest(c, c.legal, nia, 20, 27, 'All of us');
  await decide(c, c.ngo, made, 'accept');
  const ended = await c.call<Minutes>(c.broker, 'POST', `/sessions/${session.id}/end`);
  expect(ended.status).toBe(200);
  const item = ended.body.items[0];
  // Who suggested it, who decided it, and what it changed.
  expect(item.suggestionsDecided).toEqual([
    {
      at: expect.any(String),
      decision: 'accepted',
      text: 'Nia accepted Lena’s suggestion replacing “What we” with “All of us”',
      by: expect.objectContaining({ name: 'Nia', party: c.fx.ngoId }),
    },
  ]);
  expect(ended.body.items[1].suggestionsDecided).toEqual([]);
  // Every invited person reads the minutes. They may name suggestions because no suggestion is private: each is in
  // the records room, which everyone reads live, and none can be made in a party's caucus (were that ever allowed,
  // the minutes would have to leave those out, as they leave out caucus threads).
  const privately = await c.call(c.ngo, 'POST', '/suggestions', { anchor: anchorAt(contentFragment(nia.doc), 1, 7), text: 'Joint', caucus: true });
  expect(privately.status).toBe(400);
  expect((await c.call<{ suggestions: unknown[] }>(c.observer, 'GET', '/suggestions')).body.suggestions).toEqual([
    expect.objectContaining({ id: made, status: 'accepted' }),
  ]);
});

it('the minutes keep rejections too, each decision under the item that was current, in the order they were decided', async () => {
  const server = await h.start();
  const c = await sessionCast(h, server);
  const nia = present(h, server, c.id, c.ngo);
  await synced(nia);
  // Every suggestion made on the text as it first reads (positions into it), before anything is decided.
  const before = await suggest(c, c.legal, nia, 1, 7, 'Joint');
  // Made in one order (A, B, C, D), decided in another (C, A, B, D): the minutes follow the decisions.
  const a = await suggest(c, c.legal, nia, 20, 27, 'All of us');
  const b = await suggest(c, c.business, nia, 28, 35, 'shall do');
  const long = 'in a partnership of equals that shares its risks, its costs and its credit in the open, every year, with every village';
  const cc = await suggest(c, c.legal, nia, 36, 44, long);
  const d = await suggest(c, c.legal, nia, 20, 27, 'We');
  // Decided before the session began: not the session's to report.
  await decide(c, c.broker, before, 'accept');
  const session = await c.startSession();
  const [water, aob] = session.agenda;
  await decide(c, c.broker, cc, 'reject');
  await decide(c, c.ngo, a, 'accept');
  expect((await c.call(c.broker, 'POST', `/sessions/${session.id}/current`, { itemId: aob.id })).status).toBe(200);
  // Ben withdraws his own; Lena's last one is outdated by the accepted one and rejected by the broker.
  await decide(c, c.business, b, 'reject');
  await decide(c, c.broker, d, 'reject');
  const minutes = (await c.call<Minutes>(c.broker, 'POST', `/sessions/${session.id}/end`)).body;
  const [first, second] = minutes.items;
  expect(first.itemId).toBe(water.id);
  const shortened = `“${long.slice(0, 39)}…”`;
  expect(first.suggestionsDecided?.map((s) => [s.decision, s.text])).toEqual([
    ['rejected', `Brook Broker rejected Lena’s suggestion replacing “together” with ${shortened}`],
    ['accepted', 'Nia accepted Lena’s suggestion replacing “What we” with “All of us”'],
  ]);
  expect(second.suggestionsDecided?.map((s) => [s.decision, s.text])).toEqual([
    ['rejected', 'Ben rejected Ben’s suggestion replacing “will do” with “shall do”'],
    ['rejected', 'Brook Broker rejected Lena’s suggestion replacing “What we” with “We”'],
  ]);
  const times = [...first.suggestionsDecided!, ...second.suggestionsDecided!].map((s) => s.at);
  expect([...times].sort()).toEqual(times);
});

// A paragraph split or rewritten in suggest mode (Enter, a deletion across blocks) is a suggestion of whole
// blocks: the minutes (and the activity log) called it "deleting" the old words, naming none of the new ones,
// and an inserted paragraph "inserting 1 block(s)".
it('the minutes give the words a suggestion of whole blocks took out and the words it put in', async () => {
  const server = await h.start();
  const c = await sessionCast(h, server);
  const nia = present(h, server, c.id, c.ngo);
  await synced(nia);
  const session = await c.startSession();
  const blocks = async (from: number, to: number, replacement: unknown[]) => {
    const made = await c.call<{ suggestion: Suggestion }>(c.legal, 'POST', '/suggestions', {
      anchor: anchorAt(contentFragment(nia.doc), from, to),
      blocks: replacement,
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    return made.body.suggestion.id;
  };
  // The heading "Shared objectives" takes 19 positions, the paragraph "What we will do together." 27 after it.
  const split = await blocks(19, 46, [paragraph('We act together.'), paragraph('Every year.')]);
  const added = await blocks(19, 19, [paragraph('Either party may leave.')]);
  const rule = await blocks(19, 19, [{ type: 'horizontalRule' }]);
  await decide(c, c.ngo, split, 'accept');
  await decide(c, c.ngo, added, 'reject');
  await decide(c, c.ngo, rule, 'reject');
  const minutes = (await c.call<Minutes>(c.broker, 'POST', `/sessions/${session.id}/end`)).body;
  expect(minutes.items[0].suggestionsDecided?.map((s) => s.text)).toEqual([
    'Nia accepted Lena’s suggestion replacing “What we will do together.” with “We act together. Every year.”',
    'Nia rejected Lena’s suggestion inserting “Either party may leave.”',
    'Nia rejected Lena’s suggestion inserting 1 block(s)',
  ]);
});

it('the exported minutes (Markdown, HTML, .docx) state each decided suggestion under its item, with its time, and their fingerprint holds', async () => {
  const server = await h.start();
  const c = await sessionCast(h, server);
  const nia = present(h, server, c.id, c.ngo);
  await synced(nia);
  const session = await c.startSession();
  const accept = await suggest(c, c.legal, nia, 20, 27, 'All of us');
  const reject = await suggest(c, c.business, nia, 28, 35, 'may do');
  await decide(c, c.ngo, accept, 'accept');
  await decide(c, c.broker, reject, 'reject');
  const minutes = (await c.call<Minutes>(c.broker, 'POST', `/sessions/${session.id}/end`)).body;
  const [accepted, rejected] = minutes.items[0].suggestionsDecided!;
  const lines = [
    `${accepted.at.slice(11, 16)} UTC · Nia accepted Lena’s suggestion replacing “What we” with “All of us”`,
    `${rejected.at.slice(11, 16)} UTC · Brook Broker rejected Ben’s suggestion replacing “will do” with “may do”`,
  ];

  const md = await (await minutesFile(server, c, session.id, 'md')).text();
  const mdBody = md.slice(0, md.indexOf('<!-- common-ground-fingerprint'));
  const underItem = mdBody.slice(mdBody.indexOf('### Safe water'), mdBody.indexOf('### Any other business'));
  expect(underItem).toContain('**Suggestions accepted or rejected:**');
  for (const line of lines) expect(underItem).toContain(`- ${line}`);
  expect(underItem.indexOf(lines[0])).toBeLessThan(underItem.indexOf(lines[1]));
  const html = await (await minutesFile(server, c, session.id, 'html')).text();
  for (const line of lines) expect(html).toContain(`<li><p>${line}</p></li>`);
  const docx = readZip(new Uint8Array(await (await minutesFile(server, c, session.id, 'docx')).arrayBuffer()));
  const words = docx.get('word/document.xml')!.toString('utf8');
  expect(words).toContain('Suggestions accepted or rejected:');
  for (const line of lines) expect(words).toContain(line);

  // The documented checker finds both files as they were rendered, fingerprint and text.
  for (const [name, file] of [
    ['minutes.md', md],
    ['minutes.html', html],
  ]) {
    const checked = await checkExportFile(name, file);
    expect(checked.out, name).toContain('OK: the text of the file is the content');
    expect(checked.code, name).toBe(0);
  }
});

// Minutes written before suggestions were kept in them: no `suggestionsDecided` in any item, `takenUp` absent too.
const author = { personId: 'p-nia', name: 'Nia', role: 'negotiator', party: 'ngo' } as const;
const earlierMinutes: Minutes = {
  sessionId: 'replaced-by-the-test',
  title: 'Working session 2',
  startedAt: '2026-11-20T09:00:00.000Z',
  endedAt: '2026-11-20T10:00:00.000Z',
  durationSeconds: 3600,
  attendees: [{ ...author, partyName: 'WaterAid Kenya', present: [{ joinedAt: '2026-11-20T09:00:00.000Z', leftAt: '2026-11-20T10:00:00.000Z' }] }],
  absentParties: ['Acme Beverages'],
  items: [
    {
      itemId: 'i1',
      title: 'Safe water',
      kind: 'free',
      plannedMinutes: 60,
      spentSeconds: 3600,
      decisions: [{ id: 'd1', sessionId: 's2', itemId: 'i1', text: 'Start with the northern villages', by: author, at: '2026-11-20T09:30:00.000Z' }],
      rounds: [],
      stancesChanged: [{ at: '2026-11-20T09:20:00.000Z', text: 'WaterAid Kenya: Agree on “Safe water for households”', by: author }],
      threadsOpened: [{ id: 't1', quote: 'What we', by: author, at: '2026-11-20T09:10:00.000Z' }],
      threadsResolved: [],
      parked: [],
      actions: [],
    },
  ],
  openParked: [],
  snapshot: { id: 'snap-2', label: 'Session: Working session 2', hash: 'a1'.repeat(32) },
  endedBy: author,
};
// Their fingerprint as the exporter before this change computed it: re-exported, they must read (and hash) the same.
const EARLIER_FINGERPRINT = '7a810a982e90146fb50b5f9b53b90b707069530de3b80cf099e0ef9c1d1533c6';

it('minutes written before suggestions were kept in them still open, render as before and verify', async () => {
  const agreement = { id: 'a1', title: 'River Partnership', createdAt: '2026-11-01T08:00:00.000Z', parties: [], people: [] } as AgreementRecord;
  expect(fingerprint(earlierMinutes.snapshot!.hash, minutesContent(earlierMinutes, agreement))).toBe(EARLIER_FINGERPRINT);

  const server = await h.start();
  const c = await sessionCast(h, server);
  const session = await c.startSession();
  expect((await c.call(c.broker, 'POST', `/sessions/${session.id}/end`)).status).toBe(200);
  // The stored minutes replaced by ones of the earlier shape, as a room kept from before holds them.
  const stored = { ...earlierMinutes, sessionId: session.id };
  await writeRecords(server.app.ctx.rooms, c.id, (doc) => doc.getMap('minutes').set(session.id, stored));

  const opened = await c.call<Minutes>(c.observer, 'GET', `/sessions/${session.id}/minutes`);
  expect(opened.status).toBe(200);
  expect(opened.body).toEqual(stored);
  const md = await (await minutesFile(server, c, session.id, 'md')).text();
  expect(md).toContain(`Fingerprint (SHA-256): ${EARLIER_FINGERPRINT}`);
  expect(md).not.toContain('Suggestions accepted or rejected');
  const checked = await checkExportFile('earlier.md', md);
  expect(checked.out).toContain('OK: the content matches its fingerprint');
  expect(checked.code).toBe(0);
  const docx = await minutesFile(server, c, session.id, 'docx');
  expect(docx.status).toBe(200);
  expect(
    readZip(new Uint8Array(await docx.arrayBuffer()))
      .get('word/document.xml')!
      .toString('utf8'),
  ).toContain('Start with the northern villages');
});
