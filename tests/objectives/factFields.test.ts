import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import { contentRoom } from '#shared/rooms';
import { documentSchema } from '#shared/schema';
import type { SnapshotSummary } from '#shared/snapshots';
import { SERVER_ORIGIN } from '../../server/src/rooms/origin';
import { synced } from '../support/clients';
import { legacyObjective, objective, paragraph, readDocument, setTextFact, writeDocument } from '../support/document';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { api, createAgreement } from '../support/server';

const h = useHarness();

// An objective's owners and indicators were attributes until they became fields holding text (so
// two people typing them at once both keep their words). An agreement stored before keeps them
// as attributes until it loads, when the server moves them into the fields: nothing of it may be
// lost, no stance given on it may go outdated, no snapshot taken of it may stop matching its
// fingerprint, and a comparison with one must not read the move as a change.
it('an agreement stored with owners and indicators as attributes loads with them in their fields, its stances current and its snapshots intact', async () => {
  const first = await h.start();
  const f = await createAgreement(first);
  const id = f.agreement.id;
  const nia = await f.invite({ role: 'negotiator', name: 'Nia', party: f.ngoId });
  const ben = await f.invite({ role: 'negotiator', name: 'Ben', party: f.businessId });
  const legacy = {
    type: 'doc',
    content: [
      paragraph('Intro'),
      legacyObjective(
        'o1',
        { title: 'Safe water', intent: 'Every pupil drinks safe water' },
        { owners: 'Amina', indicators: 'wells in use', targetDate: '2027-06-30' },
      ),
    ],
  };
  // As a server before the move wrote it: the room is loaded (moved, with nothing to move) before this lands,
  // and held (by a connection) until the stances and the snapshot are taken on it.
  const holder = h.connect(first, id, f.brokerToken);
  await synced(holder);
  await first.app.ctx.rooms.with(contentRoom(id), (room) =>
    room.doc.transact(() => prosemirrorJSONToYXmlFragment(documentSchema(), legacy, room.doc.getXmlFragment('content')), SERVER_ORIGIN),
  );
  const path = (rest: string) => `/api/agreements/${id}${rest}`;
  for (const token of [nia, ben]) {
    const r = await api(first, 'PUT', path('/objectives/o1/stance'), { stance: 'agree' }, token);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
  }
  const taken = await api<SnapshotSummary>(first, 'POST', path('/snapshots'), { label: 'Before the move' }, f.brokerToken);
  expect(taken.status).toBe(201);
  holder.destroy();
  await first.close();

  const server = await h.start({ dataDir: first.dataDir });
  const live = await server.app.ctx.rooms.with(contentRoom(id), (room) => (room.doc.getXmlFragment('content').get(1) as Y.XmlElement).toString());
  expect(live).toContain('<objectiveowners>Amina</objectiveowners><objectiveindicators>wells in use</objectiveindicators>');
  expect(live).toContain('owners="" ');
  expect(live).toContain('indicators="" ');

  const listed = await api<{ objectives: { id: string; status: string; owners: string; indicators: string }[] }>(
    server,
    'GET',
    path('/objectives'),
    undefined,
    nia,
  );
  expect(listed.body.objectives).toEqual([expect.objectContaining({ id: 'o1', status: 'agreed', owners: 'Amina', indicators: 'wells in use' })]);

  // The snapshot still matches its fingerprint: it opens, exports and compares.
  const opened = await api<{ content: unknown }>(server, 'GET', path(`/snapshots/${taken.body.id}`), undefined, f.brokerToken);
  expect(opened.status).toBe(200);
  expect(JSON.stringify(opened.body.content)).toContain('"owners":"Amina"');
  const exported = (snapshot: string) =>
    fetch(`${server.http}${path(`/snapshots/${snapshot}/export?format=md`)}`, { headers: { authorization: `Bearer ${f.brokerToken}` } }).then((res) =>
      res.text(),
    );
  for (const snapshot of [taken.body.id, 'live']) {
    const text = await exported(snapshot);
    expect(text, snapshot).toContain('**Owners:** Amina');
    expect(text, snapshot).toContain('**Indicators:** wells in use');
  }
  const diff = await api<{ facts: unknown[]; summary: { total: number } }>(
    server,
    'GET',
    path(`/diff?from=${taken.body.id}&to=live`),
    undefined,
    f.brokerToken,
  );
  expect(diff.status).toBe(200);
  expect(diff.body.facts).toEqual([]);
  expect(diff.body.summary.total).toBe(0);

  // The fields take typing; restoring the snapshot puts its owners back in the field, not in an attribute.
  const editor = h.connect(server, id, nia);
  await synced(editor);
  setTextFact(editor.doc.getXmlFragment('content').get(1) as Y.XmlElement, 'owners', 'Amina, Ben');
  await waitFor(
    async () => (await server.app.ctx.rooms.with(contentRoom(id), (room) => room.doc.getXmlFragment('content').toString())).includes('Amina, Ben'),
    {
      what: 'the owners typed',
    },
  );
  expect((await api(server, 'POST', path(`/snapshots/${taken.body.id}/restore`), undefined, f.brokerToken)).status).toBe(200);
  await waitFor(() => JSON.stringify(readDocument(editor.doc)).includes('"text":"Amina"}'), { what: 'the owners restored' });
  const restored = readDocument(editor.doc).content![1];
  expect(restored.attrs).toMatchObject({ owners: '', indicators: '' });
  expect(restored.content!.map((field) => field.type)).toEqual([
    'objectiveTitle',
    'objectiveIntent',
    'objectiveBand',
    'objectiveTrigger',
    'objectiveOwners',
    'objectiveIndicators',
  ]);
  expect(editor.closes).toEqual([]);
});

// y-prosemirror writes an empty field without a Y.XmlText: the first words two people typed into
// the same empty owners at once went into two texts side by side, which their editors then merged
// into each other, a letter repeated ("Nia Otieno, WaterAidBBen Kamau, Acme" in a browser test).
// The server gives every empty owners and indicators field its one text, as it is made or emptied.
it('an owners or indicators field made or left empty gets its one text from the server, for the words typed next to merge into', async () => {
  const server = await h.start();
  const f = await createAgreement(server);
  const id = f.agreement.id;
  const nia = h.connect(server, id, await f.invite({ role: 'negotiator', name: 'Nia', party: f.ngoId }));
  await synced(nia);
  writeDocument(nia.doc, { type: 'doc', content: [paragraph('Intro'), objective('o1', { title: 'Safe water' }, { indicators: 'wells in use' })] });
  const fields = (doc: Y.Doc) => (doc.getXmlFragment('content').get(1) as Y.XmlElement).toArray().slice(4) as Y.XmlElement[];
  const texts = (doc: Y.Doc) => fields(doc).map((field) => field.toArray().filter((child) => child instanceof Y.XmlText).length);
  await waitFor(() => texts(nia.doc).join() === '1,1', { what: 'an empty owners field given its text' });
  setTextFact(nia.doc.getXmlFragment('content').get(1) as Y.XmlElement, 'indicators', '');
  // As y-prosemirror leaves a field emptied: without its text.
  fields(nia.doc)[1].delete(0, 1);
  await waitFor(() => texts(nia.doc).join() === '1,1', { what: 'an emptied indicators field given its text again' });
  const atServer = await server.app.ctx.rooms.with(contentRoom(id), (room) => texts(room.doc).join());
  expect(atServer).toBe('1,1');
  expect(nia.closes).toEqual([]);
});
