import { beforeAll, expect, it } from 'vitest';
import type { JSONContent } from '@tiptap/core';
import type { TestClient } from '../support/clients';
import { useHarness } from '../support/harness';
import { agreementWithNegotiator } from '../support/negotiator';
import { api, type AgreementFixture, type TestServer } from '../support/server';
import { waitFor } from '../support/poll';
import { paragraph, writeDocument } from '../support/document';
import type { DiffResult, ProseMirrorJSON, SnapshotSummary } from '#shared/snapshots';

// A comparison showed nothing, and counted nothing, where only an attribute or a mark changed: a
// link's target moved to another site, a word made bold, a heading made a level lower, a list
// renumbered from 3 to 1. The reviewer read "0 changes" over a text that said something else.
const h = useHarness({ teardown: 'all' });
let server: TestServer;
let f: AgreementFixture;
let ngo: TestClient;

beforeAll(async () => {
  ({ server, f, ngo } = await agreementWithNegotiator(h));
});

const path = (rest: string) => `/api/agreements/${f.agreement.id}${rest}`;
const text = (value: string, marks?: JSONContent['marks']): JSONContent => ({ type: 'text', text: value, ...(marks ? { marks } : {}) });
const link = (href: string) => [{ type: 'link', attrs: { href } }];

/** Writes `content` and takes a snapshot once the server holds `needle`. */
async function snapshotOf(content: JSONContent[], needle: string): Promise<SnapshotSummary> {
  writeDocument(ngo.doc, { type: 'doc', content });
  return waitFor(
    async () => {
      const res = await api<SnapshotSummary>(server, 'POST', path('/snapshots'), { label: needle }, f.brokerToken);
      const opened = await api<{ content: unknown }>(server, 'GET', path(`/snapshots/${res.body.id}`), undefined, f.brokerToken);
      return JSON.stringify(opened.body.content).includes(needle) ? res.body : undefined;
    },
    { what: `a snapshot holding ${needle}` },
  );
}

async function diff(from: SnapshotSummary, to: SnapshotSummary): Promise<DiffResult> {
  const res = await api<DiffResult>(server, 'GET', path(`/diff?from=${from.id}&to=${to.id}`), undefined, f.brokerToken);
  expect(res.status).toBe(200);
  return res.body;
}

/** Each text run of a diff: `~~text~~` deleted, `++text++` inserted, with its link target or bold in brackets. */
function runs(node: ProseMirrorJSON): string[] {
  if (node.type === 'text') {
    const change = node.marks?.find((m) => m.type === 'insertion' || m.type === 'deletion')?.type;
    const href = node.marks?.find((m) => m.type === 'link')?.attrs?.href as string | undefined;
    const bold = node.marks?.some((m) => m.type === 'bold');
    const shown = `${node.text}${href ? `[${href}]` : ''}${bold ? '[bold]' : ''}`;
    return [change === 'deletion' ? `~~${shown}~~` : change === 'insertion' ? `++${shown}++` : shown];
  }
  return (node.content ?? []).flatMap(runs);
}

/** The blocks of a diff marked as added or removed whole, with their type and attributes that matter. */
function blockChanges(content: ProseMirrorJSON): string[] {
  return (content.content ?? []).flatMap((block) => {
    const change = (block.attrs?.blockChange as { type?: string } | undefined)?.type;
    const attrs = block.type === 'heading' ? ` ${String(block.attrs?.level)}` : block.type === 'orderedList' ? ` ${String(block.attrs?.start)}` : '';
    return change ? [`${change} ${block.type}${attrs}`] : [];
  });
}

it('a link whose target changed is shown as the old link deleted and the new one inserted, and counted', async () => {
  const before = await snapshotOf(
    [{ type: 'paragraph', content: [text('Pay into '), text('the fund', link('https://fund.example/')), text(' monthly.')] }],
    'fund.example',
  );
  const after = await snapshotOf(
    [{ type: 'paragraph', content: [text('Pay into '), text('the fund', link('https://elsewhere.example/')), text(' monthly.')] }],
    'elsewhere.example',
  );
  const result = await diff(before, after);
  expect(runs(result.content)).toEqual(['Pay into ', '~~the fund[https://fund.example/]~~', '++the fund[https://elsewhere.example/]++', ' monthly.']);
  expect(result.summary).toMatchObject({ total: 2, insertions: 1, deletions: 1 });
});

it('a word made bold is shown as a change, by whoever made it', async () => {
  const before = await snapshotOf([paragraph('Payments are due promptly each month.')], 'due promptly');
  const after = await snapshotOf(
    [{ type: 'paragraph', content: [text('Payments are due '), text('promptly', [{ type: 'bold' }]), text(' each month.')] }],
    '"bold"',
  );
  const result = await diff(before, after);
  expect(runs(result.content)).toEqual(['Payments are due ', '~~promptly~~', '++promptly[bold]++', ' each month.']);
  expect(result.summary.total).toBe(2);
  expect(result.summary.byParty.map((p) => p.key)).toEqual([f.ngoId]);
});

it('a heading made another level and a list numbered from another number are shown as changed blocks', async () => {
  const list = (start: number, marker: string): JSONContent => ({
    type: 'orderedList',
    attrs: { start },
    content: [{ type: 'listItem', content: [paragraph(`The parties meet quarterly${marker}`)] }],
  });
  const before = await snapshotOf([{ type: 'heading', attrs: { level: 2 }, content: [text('Payments')] }, list(3, '.')], 'quarterly.');
  const after = await snapshotOf([{ type: 'heading', attrs: { level: 3 }, content: [text('Payments')] }, list(1, '.')], '"level":3');
  const result = await diff(before, after);
  expect(blockChanges(result.content)).toEqual(['removed heading 2', 'added heading 3', 'removed orderedList 3', 'added orderedList 1']);
  expect(runs(result.content)).toEqual(['~~Payments~~', '++Payments++', '~~The parties meet quarterly.~~', '++The parties meet quarterly.++']);
  expect(result.summary).toMatchObject({ total: 4, insertions: 2, deletions: 2 });
});

it('a text written again with the same attributes and marks shows no change', async () => {
  const content = [
    { type: 'heading', attrs: { level: 2 }, content: [text('Contributions')] },
    {
      type: 'paragraph',
      content: [text('See '), text('the annex', link('https://annex.example/')), text(' for '), text('amounts', [{ type: 'bold' }]), text('.')],
    },
    { type: 'orderedList', attrs: { start: 4 }, content: [{ type: 'listItem', content: [paragraph('Cash.')] }] },
  ];
  const before = await snapshotOf(content, 'annex.example');
  const after = await snapshotOf([...content, paragraph('Signed.')], 'Signed.');
  const result = await diff(before, after);
  expect(blockChanges(result.content)).toEqual(['added paragraph']);
  expect(runs(result.content)).toEqual(['Contributions', 'See ', 'the annex[https://annex.example/]', ' for ', 'amounts[bold]', '.', 'Cash.', '++Signed.++']);
  expect(result.summary).toMatchObject({ total: 1, insertions: 1, deletions: 0 });
});

it('a heading and a list deleted whole are shown removed, once, as they were', async () => {
  const before = await snapshotOf(
    [
      { type: 'heading', attrs: { level: 3 }, content: [text('Annex')] },
      { type: 'orderedList', attrs: { start: 5 }, content: [{ type: 'listItem', content: [paragraph('Fifth point.')] }] },
      paragraph('Kept.'),
    ],
    'Fifth point.',
  );
  const after = await snapshotOf([paragraph('Kept.'), paragraph('Added.')], 'Added.');
  const result = await diff(before, after);
  // The editor's binding rewrote "Kept." into "Added." and wrote "Kept." again before it: not the point here.
  expect(blockChanges(result.content).sort()).toEqual(['added paragraph', 'removed heading 3', 'removed orderedList 5']);
  expect(runs(result.content)).toEqual(expect.arrayContaining(['~~Annex~~', '~~Fifth point.~~']));
});
