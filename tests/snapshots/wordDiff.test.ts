import { beforeAll, expect, it } from 'vitest';
import type { TestClient } from '../support/clients';
import { useHarness } from '../support/harness';
import { agreementWithNegotiator } from '../support/negotiator';
import { api, type AgreementFixture, type TestServer } from '../support/server';
import { waitFor } from '../support/poll';
import * as Y from 'yjs';
import { heading, paragraph, writeDocument } from '../support/document';
import type { DiffResult, ProseMirrorJSON, SnapshotSummary } from '#shared/snapshots';

// A legal reviewer compares versions word by word: a changed word or number is struck whole
// and inserted whole, never split into characters ("~~5~~6 0" for 50 → 60).
const h = useHarness({ teardown: 'all' });
let server: TestServer;
let f: AgreementFixture;
let ngo: TestClient;

beforeAll(async () => {
  ({ server, f, ngo } = await agreementWithNegotiator(h));
});

/** Each paragraph of a diff as its runs: plain text as is, deletions as ~~text~~, insertions as ++text++. */
function runs(content: ProseMirrorJSON): string[] {
  return (content.content ?? []).map((block) =>
    (block.content ?? [])
      .map((n) => {
        const kind = n.marks?.find((m) => m.type === 'insertion' || m.type === 'deletion')?.type;
        return kind === 'deletion' ? `~~${n.text}~~` : kind === 'insertion' ? `++${n.text}++` : (n.text ?? '');
      })
      .join(''),
  );
}

it('a changed word or number is shown struck whole and inserted whole', async () => {
  const path = (rest: string) => `/api/agreements/${f.agreement.id}${rest}`;
  const before = [
    'Between 30 and 50 wells.',
    'The colour of the logo.',
    'A budget of 1,000 euros.',
    'Reviewed every year.',
    'Jobs: 20 to 40.',
    'Target: 500 to 800 households.',
    'Amina reports.',
  ];
  writeDocument(ngo.doc, { type: 'doc', content: before.map(paragraph) });
  const first = await waitFor(
    async () => {
      const res = await api<SnapshotSummary>(server, 'POST', path('/snapshots'), { label: 'Before' }, f.brokerToken);
      const opened = await api<{ content: unknown }>(server, 'GET', path(`/snapshots/${res.body.id}`), undefined, f.brokerToken);
      return JSON.stringify(opened.body.content).includes('Amina reports') ? res.body : undefined;
    },
    { what: 'a snapshot holding the text' },
  );

  // The editor writes only the characters between the common prefix and suffix of each
  // paragraph: "50" → "60" is stored as "5" → "6", "colour" → "color" as a deleted "u".
  const after = [
    'Between 30 and 60 wells.',
    'The color of the logo.',
    'A budget of 1,500 euros.',
    'Reviewed every second year.',
    'Jobs: 30 to 60.',
    'Target: every riverside household.',
    'Amina reports.',
  ];
  writeDocument(ngo.doc, { type: 'doc', content: after.map(paragraph) });
  const diff = await waitFor(
    async () => {
      const res = await api<DiffResult>(server, 'GET', path(`/diff?from=${first.id}&to=live`), undefined, f.brokerToken);
      return JSON.stringify(res.body.content ?? '').includes('second') ? res.body : undefined;
    },
    { what: 'the edits in the diff' },
  );

  expect(runs(diff.content)).toEqual([
    'Between 30 and ~~50~~++60++ wells.',
    'The ~~colour~~++color++ of the logo.',
    'A budget of ~~1,000~~++1,500++ euros.',
    // A whole word inserted stays an insertion alone.
    'Reviewed every ++second ++year.',
    // Stored as "20 to 4" → "30 to 6": the words in between that did not change stay plain.
    'Jobs: ~~20~~++30++ to ~~40~~++60++.',
    // A phrase rewritten whole is not cut up at the spaces the two versions share.
    'Target: ~~500 to 800 households~~++every riverside household++.',
    'Amina reports.',
  ]);
  // Counted as shown: six replacements (a deletion and an insertion each) and one insertion.
  expect(diff.summary).toMatchObject({ total: 13, insertions: 7, deletions: 6 });
});

it('a block written again as it was (deleted and inserted unchanged beside itself) is not shown or counted as a change', async () => {
  const path = (rest: string) => `/api/agreements/${f.agreement.id}${rest}`;
  writeDocument(ngo.doc, { type: 'doc', content: [heading(1, 'River Restoration Partnership'), paragraph('The parties agree.')] });
  const first = await waitFor(
    async () => {
      const res = await api<SnapshotSummary>(server, 'POST', path('/snapshots'), { label: 'Before the objective' }, f.brokerToken);
      const opened = await api<{ content: unknown }>(server, 'GET', path(`/snapshots/${res.body.id}`), undefined, f.brokerToken);
      return JSON.stringify(opened.body.content).includes('The parties agree.') ? res.body : undefined;
    },
    { what: 'a snapshot holding the text' },
  );

  // What the editor's binding stored when an objective was put at the very start of the
  // text (the caret's place on opening it): the title heading deleted and the same heading
  // inserted, with the objective before it. The reviewer saw the title struck and inserted again.
  const fragment = ngo.doc.getXmlFragment('content');
  ngo.doc.transact(() => {
    const again = new Y.XmlElement('heading');
    again.setAttribute('level', 1 as unknown as string);
    again.insert(0, [new Y.XmlText('River Restoration Partnership')]);
    fragment.delete(0, 1);
    fragment.insert(0, [again]);
    ((fragment.get(1) as Y.XmlElement).get(0) as Y.XmlText).insert('The parties agree.'.length, ' Amended.');
  });
  const diff = await waitFor(
    async () => {
      const res = await api<DiffResult>(server, 'GET', path(`/diff?from=${first.id}&to=live`), undefined, f.brokerToken);
      return JSON.stringify(res.body.content ?? '').includes('Amended') ? res.body : undefined;
    },
    { what: 'the edit in the diff' },
  );

  expect(runs(diff.content)).toEqual(['River Restoration Partnership', 'The parties agree.++ Amended.++']);
  expect(diff.summary).toMatchObject({ total: 1, insertions: 1, deletions: 0 });
});

// A restore writes back the blocks deleted since, as new blocks beside the deleted ones: the
// snapshot and the text restored from it read the same, yet their comparison struck every such
// block and inserted it again (7 changes for 4 blocks), credited to the broker who restored.
it('a text restored from a snapshot reads as no change against that snapshot', async () => {
  const path = (rest: string) => `/api/agreements/${f.agreement.id}${rest}`;
  const before = [heading(2, 'Annex'), paragraph('First point.'), paragraph('Second point.'), paragraph('Third point.'), paragraph('Closing words.')];
  writeDocument(ngo.doc, { type: 'doc', content: before });
  const first = await waitFor(
    async () => {
      const res = await api<SnapshotSummary>(server, 'POST', path('/snapshots'), { label: 'Before the cut' }, f.brokerToken);
      const opened = await api<{ content: unknown }>(server, 'GET', path(`/snapshots/${res.body.id}`), undefined, f.brokerToken);
      return JSON.stringify(opened.body.content).includes('Third point.') ? res.body : undefined;
    },
    { what: 'a snapshot holding the text' },
  );
  writeDocument(ngo.doc, { type: 'doc', content: [heading(2, 'Annex'), paragraph('Closing words.')] });
  await waitFor(async () => {
    const res = await api<DiffResult>(server, 'GET', path(`/diff?from=${first.id}&to=live`), undefined, f.brokerToken);
    return res.body.summary.total > 0 ? true : undefined;
  });
  expect((await api(server, 'POST', path(`/snapshots/${first.id}/restore`), undefined, f.brokerToken)).status).toBe(200);
  const diff = await waitFor(
    async () => {
      const res = await api<DiffResult>(server, 'GET', path(`/diff?from=${first.id}&to=live`), undefined, f.brokerToken);
      return JSON.stringify(res.body.content ?? '').includes('Third point.') ? res.body : undefined;
    },
    { what: 'the restored text in the diff' },
  );
  expect(runs(diff.content)).toEqual(['Annex', 'First point.', 'Second point.', 'Third point.', 'Closing words.']);
  expect(diff.summary.total).toBe(0);
});
