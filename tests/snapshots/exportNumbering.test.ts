import { beforeAll, expect, it } from 'vitest';
import MarkdownIt from 'markdown-it';
import type { JSONContent } from '@tiptap/core';
import { useHarness } from '../support/harness';
import { agreementWithNegotiator } from '../support/negotiator';
import { api, type AgreementFixture, type TestServer } from '../support/server';
import { waitFor } from '../support/poll';
import { paragraph, writeDocument } from '../support/document';
import { docxNumbering } from '../support/docxNumbering';
import { readZip } from '../support/zip';
import { checkExportFile } from '../support/fingerprintScript';
import type { SnapshotSummary } from '#shared/snapshots';
import type { TestClient } from '../support/clients';

// A legal team takes the agreement out through its exports: what they read there must be numbered and
// marked as the agreement is, in a snapshot's file and in the live text's alike.
const h = useHarness({ teardown: 'all' });
let server: TestServer;
let f: AgreementFixture;
let ngo: TestClient;

beforeAll(async () => {
  ({ server, f, ngo } = await agreementWithNegotiator(h));
});

const items = (...list: (string | [string, JSONContent])[]): JSONContent[] =>
  list.map((item) =>
    typeof item === 'string' ? { type: 'listItem', content: [paragraph(item)] } : { type: 'listItem', content: [paragraph(item[0]), item[1]] },
  );
const ordered = (attrs: { start?: number; type?: string | null }, ...list: (string | [string, JSONContent])[]): JSONContent => ({
  type: 'orderedList',
  attrs: { start: 1, type: null, ...attrs },
  content: items(...list),
});

async function download(version: string, format: string): Promise<Buffer> {
  const res = await fetch(`${server.http}/api/agreements/${f.agreement.id}/snapshots/${version}/export?format=${format}`, {
    headers: { authorization: `Bearer ${f.brokerToken}` },
  });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

// A clause's points a., b. with their sub-points i., ii. (pasted from Word, or from a web page) read
// "1., 2." in the Markdown export: a lawyer citing "clause 1(b)(ii)" from the .md found no (b). The
// underlined defined term ("the Donor") came out as plain words.
it('a list in letters or roman numerals, and underlined words, export as the agreement shows them, from a snapshot and the live text', async () => {
  writeDocument(ngo.doc, {
    type: 'doc',
    content: [
      ordered({}, ['Deliver water', ordered({ type: 'a' }, 'to the north', ['to the south', ordered({ type: 'i' }, 'by road', 'by pipe')])], 'Report yearly'),
      ordered({}, 'Schedule one'),
      ordered({ start: 3, type: 'A' }, 'Third schedule'),
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: 'The ' },
          { type: 'text', text: 'Donor', marks: [{ type: 'underline' }] },
          { type: 'text', text: ' means Acme.' },
        ],
      },
    ],
  });
  const snapshot = await waitFor(
    async () => {
      const taken = await api<SnapshotSummary>(server, 'POST', `/api/agreements/${f.agreement.id}/snapshots`, { label: 'Lists' }, f.brokerToken);
      return (await download(taken.body.id, 'md')).toString('utf8').includes('Acme') ? taken.body : undefined;
    },
    { what: 'a snapshot holding the lists' },
  );

  for (const version of [snapshot.id, 'live']) {
    const md = (await download(version, 'md')).toString('utf8');
    const body = md.slice(md.indexOf('\n---\n\n') + 6, md.indexOf('<!-- common-ground-fingerprint')).trim();
    expect(
      body.split('\n').filter((line) => line),
      `${version} md`,
    ).toEqual([
      '1. Deliver water',
      '   - a. to the north',
      '   - b. to the south',
      '     - i. by road',
      '     - ii. by pipe',
      '2. Report yearly',
      '1) Schedule one',
      '- C. Third schedule',
      'The <u>Donor</u> means Acme.',
    ]);
    // Read in a Markdown viewer, each list is a list of its own (side by side, the schedule's item read 3.).
    expect(
      [
        ...MarkdownIt('commonmark')
          .render(body)
          .matchAll(/<[ou]l[^>]*>/g),
      ].map((m) => m[0]),
    ).toEqual(['<ol>', '<ul>', '<ul>', '<ol>', '<ul>']);
    expect((await checkExportFile('export.md', md)).code, `${version} md checked`).toBe(0);

    const html = (await download(version, 'html')).toString('utf8');
    expect(
      [...html.matchAll(/<ol[^>]*>/g)].map((m) => m[0]),
      `${version} html`,
    ).toEqual(['<ol>', '<ol type="a">', '<ol type="i">', '<ol>', '<ol start="3" type="A">']);
    expect(html).toContain('The <u>Donor</u> means Acme.');

    const docx = await download(version, 'docx');
    expect(docxNumbering(docx), `${version} docx`).toEqual({
      'Deliver water': 'decimal 1',
      'to the north': 'lowerLetter 1',
      'to the south': 'lowerLetter 1',
      'by road': 'lowerRoman 1',
      'by pipe': 'lowerRoman 1',
      'Report yearly': 'decimal 1',
      'Schedule one': 'decimal 1',
      'Third schedule': 'upperLetter 3',
    });
    const xml = readZip(docx).get('word/document.xml')!.toString('utf8');
    expect(/<w:r>(?:(?!<\/w:r>).)*<w:u [^>]*\/>(?:(?!<\/w:r>).)*<w:t[^>]*>Donor<\/w:t>/s.test(xml), `${version} docx underline`).toBe(true);
  }
});
