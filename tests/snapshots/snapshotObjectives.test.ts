import { beforeAll, expect, it } from 'vitest';
import { connectClient, synced, type TestClient } from '../support/clients';
import { useHarness } from '../support/harness';
import { agreementWithNegotiator } from '../support/negotiator';
import { api, createAgreement, type AgreementFixture, type TestServer } from '../support/server';
import { waitFor } from '../support/poll';
import { heading, objective, paragraph, readDocument, writeDocument } from '../support/document';
import type { DiffResult, ProseMirrorJSON, SnapshotSummary } from '#shared/snapshots';
import { readZip } from '../support/zip';
import { runFingerprint } from '../support/fingerprintScript';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Objective blocks (issue 4) as snapshots and exports (issue 5) see them.
const h = useHarness({ teardown: 'all' });
let server: TestServer;
let f: AgreementFixture;
let ngo: TestClient;

beforeAll(async () => {
  ({ server, f, ngo } = await agreementWithNegotiator(h));
});

it('names changed objectives by their title in a diff, and spells objective blocks out in exports', async () => {
  const fields = {
    title: 'Restore the river bank',
    intent: 'Clean water for every village on the river',
    band: '500 to 800 households',
    trigger: 'a drought year',
  };
  writeDocument(ngo.doc, {
    type: 'doc',
    content: [heading(2, 'Shared objectives'), objective('obj1', fields, { scope: f.ngoId, owners: 'Amina', quickWin: true, targetDate: '2027-06-30' })],
  });
  const path = (rest: string) => `/api/agreements/${f.agreement.id}${rest}`;
  const first = await waitFor(
    async () => {
      const res = await api<SnapshotSummary>(server, 'POST', path('/snapshots'), { label: 'First draft' }, f.brokerToken);
      const opened = await api<{ content: unknown }>(server, 'GET', path(`/snapshots/${res.body.id}`), undefined, f.brokerToken);
      return JSON.stringify(opened.body.content).includes('500 to 800') ? res.body : undefined;
    },
    { what: 'a snapshot holding the objective' },
  );

  const doc = readDocument(ngo.doc);
  const band = doc.content![1].content![2];
  band.content = [{ type: 'text', text: '600 to 900 households' }];
  doc.content!.push(paragraph('Closing remarks.'));
  writeDocument(ngo.doc, doc);

  const diff = await waitFor(
    async () => {
      const res = await api<DiffResult>(server, 'GET', path(`/diff?from=${first.id}&to=live`), undefined, f.brokerToken);
      return res.body.summary?.total >= 2 ? res.body : undefined;
    },
    { what: 'the edit in the diff' },
  );
  expect(diff.summary.byObjective.map((c) => c.key)).toEqual(['Restore the river bank']);
  expect(diff.summary.bySection.map((c) => c.key)).toContain('Shared objectives');

  const md = await fetch(`${server.http}${path(`/snapshots/${first.id}/export?format=md`)}`, { headers: { authorization: `Bearer ${f.brokerToken}` } });
  const text = await md.text();
  expect(text).toContain('**Objective: Restore the river bank**');
  expect(text).toContain('**Whose objective:** Own objective of WaterAid Kenya');
  expect(text).toContain('**Quick win:** yes');
  expect(text).toContain('**Owners:** Amina');
  expect(text).toContain('**Target date:** 30 June 2027');
  expect(text).toContain('**Indicators:** none');
  expect(text).toContain('**Intent (fixed):** Clean water for every village on the river');
  expect(text).toContain('**Targets and agreed band (flexible):** 500 to 800 households');
  expect(text).toContain('**Revisit when:** a drought year');
});

it('[issue 15.2] a change to an objective’s facts is in the diff: attributed, old value and new, counted in the summary', async () => {
  const ben = connectClient(server.ws, f.agreement.id, await f.invite({ role: 'negotiator', name: 'Ben', party: f.businessId }));
  try {
    await synced(ben);
    writeDocument(ngo.doc, {
      type: 'doc',
      content: [heading(2, 'Work plan'), objective('facts1', { title: 'First wells' }, { owners: 'Amina', targetDate: '2027-01-31' })],
    });
    const path = (rest: string) => `/api/agreements/${f.agreement.id}${rest}`;
    const before = await waitFor(
      async () => {
        const res = await api<SnapshotSummary>(server, 'POST', path('/snapshots'), { label: 'Before facts' }, f.brokerToken);
        const opened = await api<{ content: unknown }>(server, 'GET', path(`/snapshots/${res.body.id}`), undefined, f.brokerToken);
        return JSON.stringify(opened.body.content).includes('2027-01-31') ? res.body : undefined;
      },
      { what: 'a snapshot holding the objective' },
    );
    await waitFor(() => JSON.stringify(readDocument(ben.doc)).includes('facts1'), { what: 'the objective reaches Ben' });
    // Ben moves the date, adds an indicator and makes it a quick win; no word of text changes.
    const doc = readDocument(ben.doc);
    const block = doc.content![1];
    block.attrs = { ...block.attrs, targetDate: '2027-09-30', quickWin: true };
    block.content = block.content!.map((field) =>
      field.type === 'objectiveIndicators' ? { type: field.type, content: [{ type: 'text', text: 'wells in use' }] } : field,
    );
    writeDocument(ben.doc, doc);

    const diff = await waitFor(
      async () => {
        const res = await api<DiffResult>(server, 'GET', path(`/diff?from=${before.id}&to=live`), undefined, f.brokerToken);
        return res.body.facts?.length === 3 ? res.body : undefined;
      },
      { what: 'the fact changes in the diff' },
    );
    const ben_ = { name: 'Ben', party: f.businessId };
    expect(diff.facts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          objectiveId: 'facts1',
          objective: 'First wells',
          fact: 'targetDate',
          from: '2027-01-31',
          to: '2027-09-30',
          author: expect.objectContaining(ben_),
        }),
        expect.objectContaining({ fact: 'indicators', from: '', to: 'wells in use', author: expect.objectContaining(ben_) }),
        expect.objectContaining({ fact: 'quickWin', from: false, to: true, author: expect.objectContaining(ben_) }),
      ]),
    );
    expect(diff.summary).toMatchObject({ total: 3, insertions: 0, deletions: 0, facts: 3 });
    expect(diff.summary.byParty).toEqual([{ key: f.businessId, insertions: 0, deletions: 0, facts: 3 }]);
    expect(diff.summary.byObjective).toEqual([{ key: 'First wells', insertions: 0, deletions: 0, facts: 3 }]);
  } finally {
    ben.destroy();
  }
});

/** The nodes of a diff's content that carry a block change (an element added or removed whole). */
function changedBlocks(node: ProseMirrorJSON): ProseMirrorJSON[] {
  const own = node.attrs?.blockChange ? [node] : [];
  return [...own, ...(node.content ?? []).flatMap(changedBlocks)];
}

it('an objective added or removed with no text yet is a change: marked in the diff, attributed and counted', async () => {
  const ben = connectClient(server.ws, f.agreement.id, await f.invite({ role: 'negotiator', name: 'Ben', party: f.businessId }));
  try {
    await synced(ben);
    writeDocument(ngo.doc, { type: 'doc', content: [heading(2, 'Later work'), paragraph('To be agreed.')] });
    const path = (rest: string) => `/api/agreements/${f.agreement.id}${rest}`;
    const takeSnapshot = (label: string, holds: (content: string) => boolean) =>
      waitFor(
        async () => {
          const res = await api<SnapshotSummary>(server, 'POST', path('/snapshots'), { label }, f.brokerToken);
          const opened = await api<{ content: unknown }>(server, 'GET', path(`/snapshots/${res.body.id}`), undefined, f.brokerToken);
          return holds(JSON.stringify(opened.body.content)) ? res.body : undefined;
        },
        { what: `a snapshot "${label}"` },
      );
    const before = await takeSnapshot('Before the new objective', (c) => c.includes('To be agreed.') && !c.includes('empty1'));
    await waitFor(() => JSON.stringify(readDocument(ben.doc)).includes('To be agreed.'), { what: 'the text reaches Ben' });
    // Ben adds an objective block (+ Objective) and writes nothing in it yet.
    const doc = readDocument(ben.doc);
    doc.content!.push(objective('empty1'));
    writeDocument(ben.doc, doc);

    const added = await waitFor(
      async () => {
        const res = await api<DiffResult>(server, 'GET', path(`/diff?from=${before.id}&to=live`), undefined, f.brokerToken);
        return JSON.stringify(res.body.content).includes('empty1') ? res.body : undefined;
      },
      { what: 'the new objective in the diff' },
    );
    expect(added.summary).toMatchObject({ total: 1, insertions: 1, deletions: 0, facts: 0 });
    expect(added.summary.byParty).toEqual([{ key: f.businessId, insertions: 1, deletions: 0, facts: 0 }]);
    const [block] = changedBlocks(added.content);
    expect(block).toMatchObject({ type: 'objective', attrs: { id: 'empty1', blockChange: { type: 'added', author: { name: 'Ben', party: f.businessId } } } });
    expect(changedBlocks(added.content)).toHaveLength(1); // the block, not each of its empty fields

    // The next day Amina removes it, still empty.
    const withIt = await takeSnapshot('With the new objective', (c) => c.includes('empty1'));
    await waitFor(() => JSON.stringify(readDocument(ngo.doc)).includes('empty1'), { what: 'the objective reaches Amina' });
    const again = readDocument(ngo.doc);
    again.content = again.content!.filter((node) => node.attrs?.id !== 'empty1');
    writeDocument(ngo.doc, again);
    const removed = await waitFor(
      async () => {
        const res = await api<DiffResult>(server, 'GET', path(`/diff?from=${withIt.id}&to=live`), undefined, f.brokerToken);
        return res.body.summary?.total > 0 ? res.body : undefined;
      },
      { what: 'the removal in the diff' },
    );
    expect(removed.summary).toMatchObject({ total: 1, insertions: 0, deletions: 1, facts: 0 });
    expect(removed.summary.byParty).toEqual([{ key: f.ngoId, insertions: 0, deletions: 1, facts: 0 }]);
    expect(changedBlocks(removed.content)).toEqual([
      expect.objectContaining({
        type: 'objective',
        attrs: expect.objectContaining({ blockChange: { type: 'removed', author: expect.objectContaining({ name: 'Amina' }) } }),
      }),
    ]);
  } finally {
    ben.destroy();
  }
});

// A legal reviewer signs off from the file it downloads: whether each party agreed to each
// objective, and to that very wording, is part of what the version says. Exports named no stance.
it('an export states each party’s stance on each objective as it stood, one given on an earlier wording as outdated', async () => {
  const g = await createAgreement(server);
  const path = (rest: string) => `/api/agreements/${g.agreement.id}${rest}`;
  const nia = await g.invite({ role: 'negotiator', name: 'Nia', party: g.ngoId });
  const writer = h.connect(server, g.agreement.id, nia);
  await synced(writer);
  const text = (band: string) => ({
    type: 'doc',
    content: [
      objective('wells', { title: 'Wells', intent: 'Safe water', band, trigger: 'Drought' }),
      objective('pumps', { title: 'Pumps', intent: 'Working pumps', band: 'Two a village', trigger: 'Breakdowns' }),
    ],
  });
  type Listed = { objectives: { id: string; hash: string }[] };
  const objectives = async () => (await api<Listed>(server, 'GET', path('/objectives'), undefined, g.brokerToken)).body.objectives;
  writeDocument(writer.doc, text('30 to 50 wells'));
  const first = await waitFor(async () => ((await objectives()).length === 2 ? objectives() : undefined), { what: 'both objectives on the server' });
  const hashOf = (id: string) => first.find((o) => o.id === id)!.hash;
  const stance = (id: string, body: object) => api(server, 'PUT', path(`/objectives/${id}/stance`), { ...body, contentHash: hashOf(id) }, nia);
  expect((await stance('wells', { stance: 'reservations', reason: 'Dates are tight' })).status).toBe(200);
  expect((await stance('pumps', { stance: 'agree' })).status).toBe(200);
  writeDocument(writer.doc, text('3 to 5 wells'));
  await waitFor(async () => ((await objectives()).find((o) => o.id === 'wells')?.hash !== hashOf('wells') ? true : undefined), {
    what: 'the new wording on the server',
  });
  const snapshot = await api<SnapshotSummary>(server, 'POST', path('/snapshots'), { label: 'Reworded' }, g.brokerToken);
  expect(snapshot.status).toBe(201);

  const expected = [
    'Stances: WaterAid Kenya: Agree with reservations (Dates are tight), given on an earlier text of this objective (outdated); Acme Beverages: no stance',
    'Stances: WaterAid Kenya: Agree; Acme Beverages: no stance',
  ];
  const download = async (version: string, format: string) => {
    const res = await fetch(`${server.http}${path(`/snapshots/${version}/export?format=${format}`)}`, {
      headers: { authorization: `Bearer ${g.brokerToken}` },
    });
    expect(res.status).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  };
  // Each line of the file's text as a reader sees it: Markdown's bold marks, HTML's and Word's tags taken out.
  const lines = {
    md: (file: Buffer) => file.toString('utf8').replace(/\*\*/g, '').split('\n'),
    html: (file: Buffer) => [...file.toString('utf8').matchAll(/<p>(.*?)<\/p>/g)].map((m) => m[1].replace(/<[^>]+>/g, '')),
    docx: (file: Buffer) =>
      [
        ...readZip(file)
          .get('word/document.xml')!
          .toString('utf8')
          .matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g),
      ].map((m) => m[0].replace(/<[^>]+>/g, '')),
  };
  for (const version of [snapshot.body.id, 'live']) {
    for (const [format, read] of Object.entries(lines)) {
      expect(
        read(await download(version, format)).filter((line) => line.startsWith('Stances:')),
        `${version} ${format}`,
      ).toEqual(expected);
    }
  }
  // The stances are in the file's proof too: the checker renders the same lines again.
  const dir = await mkdtemp(join(tmpdir(), 'cg-stances-'));
  try {
    for (const format of ['md', 'html']) {
      const file = join(dir, `export.${format}`);
      await writeFile(file, await download(snapshot.body.id, format));
      expect((await runFingerprint(file)).stdout).toContain('OK: the text of the file is the content');
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
