import { expect, it } from 'vitest';
import * as Y from 'yjs';
import type { JSONContent } from '@tiptap/core';
import { contentString } from '../support/clients';
import { useHarness } from '../support/harness';
import { agreementWithNegotiator } from '../support/negotiator';
import { api, type TestServer } from '../support/server';
import { objective, paragraph, setTextFact, writeDocument } from '../support/document';
import { waitFor } from '../support/poll';
import { readZip } from '../support/zip';
import type { DiffResult, SnapshotSummary } from '#shared/snapshots';

// A legal team takes the agreement away in Word: a snapshot's .docx, and the redline of two
// versions. What they read there must be what the app shows.

const h = useHarness();

/**
 * The paragraphs of a downloaded .docx as a reader sees them: Word's breaks and tabs as "\n" and "\t", deleted text
 * as ~~it~~. A line feed or tab written inside a run's text is whitespace to Word, shown as a space.
 */
async function wordParagraphs(server: TestServer, path: string, token: string): Promise<string[]> {
  const response = await fetch(`${server.http}${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  const xml =
    readZip(new Uint8Array(await response.arrayBuffer()))
      .get('word/document.xml')
      ?.toString('utf8') ?? '';
  return xml
    .split('</w:p>')
    .map((p) =>
      [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>|<w:(br|tab)\/>|<w:delText(?: [^>]*)?>([^<]*)<\/w:delText>/g)]
        .map((m) => (m[2] === 'br' ? '\n' : m[2] === 'tab' ? '\t' : m[3] !== undefined ? `~~${m[3]}~~` : m[1].replace(/[\n\t]/g, ' ')))
        .join(''),
    );
}

/** An agreement with a negotiator's stock client and a legal reviewer, and a snapshot of `doc` written through that client. */
async function draftForReview(doc: JSONContent, lastWords: string) {
  const { server, f, ngo } = await agreementWithNegotiator(h);
  const id = f.agreement.id;
  const legal = await f.invite({ role: 'legal', name: 'Lena Legal' });
  const draft = await snapshotOf(server, id, f.brokerToken, ngo, doc, lastWords);
  return { server, f, ngo, id, legal, draft };
}

/** Writes `doc` through the negotiator's stock client and takes a snapshot of it once the server has it. */
async function snapshotOf(server: TestServer, agreementId: string, token: string, writer: { doc: Y.Doc }, doc: JSONContent, lastWords: string) {
  writeDocument(writer.doc, doc);
  await waitFor(() => contentString(writer.doc).includes(lastWords), { what: 'the text written' });
  await waitFor(() => server.app.ctx.rooms.with(agreementId, (room) => room.doc.getXmlFragment('content').toString().includes(lastWords)), {
    what: 'the text on the server',
  });
  const taken = await api<SnapshotSummary>(server, 'POST', `/api/agreements/${agreementId}/snapshots`, { label: 'Draft 1' }, token);
  expect(taken.status).toBe(201);
  return taken.body;
}

it("a redline between two drafts that differ only in an objective's facts says so at its top, not 0 insertions and 0 deletions", async () => {
  const { server, ngo, id, legal, draft } = await draftForReview(
    {
      type: 'doc',
      content: [
        paragraph('The parties agree as follows.'),
        objective(
          'o1',
          { title: 'Clean wells', intent: 'Safe water', band: '40 to 60 wells', trigger: 'A dry year' },
          { targetDate: '2027-06-30', owners: 'Amina' },
        ),
      ],
    },
    'A dry year',
  );
  // Amina moves the target date a year on and hands the objective to Joseph: no word of the text changes.
  const block = ngo.doc.getXmlFragment('content').get(1) as Y.XmlElement;
  ngo.doc.transact(() => {
    block.setAttribute('targetDate', '2028-06-30');
    setTextFact(block, 'owners', 'Joseph');
  });
  await waitFor(() => server.app.ctx.rooms.with(id, (room) => room.doc.getXmlFragment('content').toString().includes('2028-06-30')), {
    what: 'the new date on the server',
  });

  const paragraphs = await wordParagraphs(server, `/api/agreements/${id}/redline?from=${draft.id}&to=live`, legal);
  // The body tracks both facts changed; the line that sums the changes up counts them too.
  expect(paragraphs.filter((p) => p.startsWith('Target date:') || p.startsWith('Owners:'))).toEqual([
    'Owners: ~~Amina~~Joseph',
    'Target date: ~~30 June 2027~~30 June 2028',
  ]);
  expect(paragraphs.find((p) => / tracked by author/.test(p))).toBe(
    '0 insertion(s), 0 deletion(s) and 2 changed objective fact(s), tracked by author; each is dated with the newer version.',
  );
});

it("a code block's lines and a clause's tabs stay lines and tabs in the Word export and in the redline", async () => {
  const budget = 'Annex A: budget\n  Staff\t40 000 EUR\n  Travel\t5 000 EUR';
  const { server, ngo, id, legal, draft } = await draftForReview(
    {
      type: 'doc',
      content: [paragraph('Payment:\tquarterly'), { type: 'codeBlock', content: [{ type: 'text', text: budget }] }],
    },
    'Travel',
  );
  const exported = await wordParagraphs(server, `/api/agreements/${id}/snapshots/${draft.id}/export?format=docx`, legal);
  expect(exported.filter((p) => p.startsWith('Payment') || p.startsWith('Annex'))).toEqual(['Payment:\tquarterly', budget]);

  // Amina raises the travel budget; the redline keeps the lines apart around the change.
  const code = (ngo.doc.getXmlFragment('content').get(1) as Y.XmlElement).get(0) as Y.XmlText;
  ngo.doc.transact(() => {
    code.delete(budget.indexOf('5 000'), 1);
    code.insert(budget.indexOf('5 000'), '6');
  });
  await waitFor(() => server.app.ctx.rooms.with(id, (room) => room.doc.getXmlFragment('content').toString().includes('6 000')), {
    what: 'the new budget on the server',
  });
  const redline = await wordParagraphs(server, `/api/agreements/${id}/redline?from=${draft.id}&to=live`, legal);
  expect(redline.filter((p) => p.startsWith('Annex'))).toEqual(['Annex A: budget\n  Staff\t40 000 EUR\n  Travel\t~~5~~6 000 EUR']);
});

// Word's w:rtl on a run forces every neutral character in it (spaces, colons, semicolons, dashes) right to left
// (ECMA-376 §17.3.2.30): on a run holding Latin words too, "Objective: هدف المنظمة" showed its colon at the far end
// and no space after "Objective". Word itself marks only the runs of a right-to-left script so.
it('in the Word export, only the right-to-left words of a mixed line are right-to-left runs: a Latin label or clause around them is not', async () => {
  const { server, id, legal, draft } = await draftForReview(
    {
      type: 'doc',
      content: [
        paragraph('Le terme حماية désigne la protection ; voir l’article 3.'),
        objective('o1', { title: 'هدف المنظمة', intent: 'تمكين المجتمعات' }, { owners: 'Amélie; كريم' }),
      ],
    },
    'تمكين',
  );
  const response = await fetch(`${server.http}/api/agreements/${id}/snapshots/${draft.id}/export?format=docx`, {
    headers: { authorization: `Bearer ${legal}` },
  });
  const xml =
    readZip(new Uint8Array(await response.arrayBuffer()))
      .get('word/document.xml')
      ?.toString('utf8') ?? '';
  const runs = [...xml.matchAll(/<w:r>([\s\S]*?)<\/w:r>/g)].map((m) => ({
    text: [...m[1].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''),
    rightToLeft: /<w:rtl\/>/.test(m[1]),
  }));
  expect(runs.filter((r) => r.rightToLeft && /\p{Script=Latin}/u.test(r.text)).map((r) => r.text)).toEqual([]);
  expect(runs.filter((r) => !r.rightToLeft && /\p{Script=Arabic}/u.test(r.text)).map((r) => r.text)).toEqual([]);
  // The words read in their order, each line whole.
  const lines = (await wordParagraphs(server, `/api/agreements/${id}/snapshots/${draft.id}/export?format=docx`, legal)).filter((p) =>
    /Le terme|^Objective:|^Owners:/.test(p),
  );
  expect(lines).toEqual(['Le terme حماية désigne la protection ; voir l’article 3.', 'Objective: هدف المنظمة', 'Owners: Amélie; كريم']);
});

it('a sentence inserted with a bold word and a link in it counts as one insertion, in the comparison and in the redline', async () => {
  const { server, f, ngo, id, legal, draft } = await draftForReview({ type: 'doc', content: [paragraph('The parties meet.')] }, 'meet');
  const text = (value: string, ...marks: { type: string; attrs?: Record<string, unknown> }[]) => ({
    type: 'text',
    text: value,
    ...(marks.length ? { marks } : {}),
  });
  writeDocument(ngo.doc, {
    type: 'doc',
    content: [
      {
        type: 'paragraph',
        content: [
          text('The parties meet. Each party pays '),
          text('half', { type: 'bold' }),
          text(' of the '),
          text('budget', { type: 'link', attrs: { href: 'https://example.org/budget' } }),
          text(' by March.'),
        ],
      },
    ],
  });
  await waitFor(() => server.app.ctx.rooms.with(id, (room) => room.doc.getXmlFragment('content').toString().includes('by March')), {
    what: 'the sentence on the server',
  });
  const diff = await api<DiffResult>(server, 'GET', `/api/agreements/${id}/diff?from=${draft.id}&to=live`, undefined, legal);
  expect(diff.body.summary).toMatchObject({ total: 1, insertions: 1, deletions: 0, byParty: [{ key: f.ngoId, insertions: 1, deletions: 0, facts: 0 }] });
  const redline = await wordParagraphs(server, `/api/agreements/${id}/redline?from=${draft.id}&to=live`, legal);
  expect(redline.find((p) => / tracked by author/.test(p))).toMatch(/^1 insertion\(s\), 0 deletion\(s\)/);
});
