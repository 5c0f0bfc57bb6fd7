import { expect, it } from 'vitest';
import * as Y from 'yjs';
import type { JSONContent } from '@tiptap/core';
import { CONTENT_FIELD } from '#shared/rooms';
import type { DiffResult } from '#shared/snapshots';
import { computeDiff } from '../../server/src/features/snapshots/diff/computeDiff';
import { diffRedline } from '../../server/src/features/snapshots/export/diffRedline';
import { toRedlineDocx } from '../../server/src/features/snapshots/export/docx';
import type { AuthorshipData } from '../../server/src/features/snapshots/authorship';
import { objective, paragraph, setTextFact, writeDocument } from '../support/document';
import { readZip } from '../support/zip';

// A legal team reads the redline .docx to see everything that changed between two versions.
// An objective is exported as labelled lines made from its facts (its attributes) and title, and a
// rule has no text: none of them carried the diff's marks, so an objective removed since the older
// version read in the redline as if still agreed, and a changed owner showed only its new value.

const parties = [
  { id: 'ngo', name: 'WaterAid Kenya' },
  { id: 'biz', name: 'Aqua Ltd' },
];

/** A block as Yjs holds it (y-prosemirror's shape: attributes, then children), to insert into a text. */
function yBlock(json: JSONContent): Y.XmlElement {
  const element = new Y.XmlElement(json.type);
  for (const [key, value] of Object.entries(json.attrs ?? {})) element.setAttribute(key, value as string);
  element.insert(
    0,
    (json.content ?? []).map((child) => {
      if (child.type !== 'text') return yBlock(child);
      const text = new Y.XmlText();
      text.insert(0, child.text ?? '');
      return text;
    }),
  );
  return element;
}

/** The older version, and the newer one: Amina removed one objective, added another, changed an owner and a title, and added a rule and an empty paragraph. */
function versions(): { fromState: Uint8Array; toState: Uint8Array; authorship: AuthorshipData } {
  const doc = new Y.Doc();
  doc.clientID = 1;
  writeDocument(doc, {
    type: 'doc',
    content: [
      paragraph('The parties agree as follows.'),
      objective('o1', { title: 'Clean wells', intent: 'Safe water' }, { scope: 'ngo', owners: 'Amina' }),
      objective('o3', { title: 'Training days', intent: 'Skills' }, { scope: 'shared', owners: 'Amina' }),
      paragraph('Signed in Nairobi.'),
    ],
  });
  const fromState = Y.encodeStateAsUpdate(doc);
  doc.clientID = 2;
  const content = doc.getXmlFragment(CONTENT_FIELD);
  doc.transact(() => {
    content.delete(1, 1);
    const training = content.get(1) as Y.XmlElement;
    setTextFact(training, 'owners', 'Joseph');
    const title = (training.get(0) as Y.XmlElement).get(0) as Y.XmlText;
    title.delete('Training '.length, 'days'.length);
    title.insert('Training '.length, 'weeks');
    content.insert(2, [
      yBlock(objective('o2', { title: 'Solar pumps', intent: 'Power' }, { scope: 'biz', owners: 'Joseph' })),
      new Y.XmlElement('horizontalRule'),
      new Y.XmlElement('paragraph'),
    ]);
  });
  const toState = Y.encodeStateAsUpdate(doc);
  const deleted = Y.createDeleteSetFromStructStore(doc.store);
  return {
    fromState,
    toState,
    authorship: {
      clients: { '1': 'p-amina', '2': 'p-amina' },
      people: { 'p-amina': { personId: 'p-amina', name: 'Amina', party: 'ngo', role: 'negotiator' } },
      deletions: { 'p-amina': Y.encodeSnapshot(Y.createSnapshot(deleted, new Map())) },
    },
  };
}

/** One run as a reader of changes sees it: [kind (same, ins, del), author, text]. */
type Run = [string, string, string];

/** Each paragraph of the redline's document.xml as the runs a reader of changes sees. */
function paragraphsOf(xml: string): Run[][] {
  const pattern = /<w:(ins|del) [^>]*w:author="([^"]*)"[^>]*>(.*?)<\/w:\1>|<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g;
  return xml
    .split('</w:p>')
    .map((paragraph) => {
      const runs: Run[] = [];
      for (const m of paragraph.matchAll(pattern)) {
        if (m[1]) runs.push([m[1], m[2], [...m[3].matchAll(/<w:(?:t|delText)(?: [^>]*)?>([^<]*)</g)].map((t) => t[1]).join('')]);
        else runs.push(['same', '', m[4]]);
      }
      return runs.filter(([, , text]) => text !== '');
    })
    .filter((runs) => runs.length > 0);
}

async function redlineXml(): Promise<string> {
  const { fromState, toState, authorship } = versions();
  const { content, summary, facts } = computeDiff(fromState, toState, authorship);
  const moment = '2026-12-01T10:00:00.000Z';
  const diff: DiffResult = {
    from: { id: 'a', label: 'Draft 1', createdAt: moment },
    to: { id: 'b', label: 'Draft 2', createdAt: moment },
    content,
    summary,
    facts,
  } as DiffResult;
  return documentXml(await toRedlineDocx(diffRedline(diff, 'River Partnership', parties)));
}

/** A .docx's `word/document.xml`. */
function documentXml(docx: Buffer): string {
  return readZip(new Uint8Array(docx)).get('word/document.xml')?.toString('utf8') ?? '';
}

/** A paragraph's text, its runs together. */
const textOf = (runs: Run[]) => runs.map(([, , text]) => text).join('');
/** Where the first paragraph whose text starts with `start` is. */
const indexStarting = (paragraphs: Run[][], start: string) => paragraphs.findIndex((p) => textOf(p).startsWith(start));

async function redlineParagraphs(): Promise<Run[][]> {
  return paragraphsOf(await redlineXml());
}

it('a removed objective reads as deleted in the redline, title and facts included, and an added one as inserted, by who did it', async () => {
  const paragraphs = await redlineParagraphs();
  const at = (start: string) => indexStarting(paragraphs, start);
  const lines = (from: string, to: string) => paragraphs.slice(at(from), at(to));
  // Every line of the removed objective is deleted, every line of the added one inserted, by Amina.
  const removed = lines('Objective: Clean wells', 'Objective: Training');
  const added = lines('Objective: Solar pumps', '———');
  expect(removed.map(textOf)).toEqual([
    'Objective: Clean wells',
    'Whose objective: Own objective of WaterAid Kenya',
    'Quick win: no',
    'Owners: Amina',
    'Target date: none',
    'Indicators: none',
    'Intent (fixed): Safe water',
    'Targets and agreed band (flexible): (empty)',
    'Revisit when: (empty)',
  ]);
  expect(removed.flat().filter(([kind, author, text]) => text.trim() !== '' && (kind !== 'del' || author !== 'Amina'))).toEqual([]);
  expect(added.map(textOf)[0]).toBe('Objective: Solar pumps');
  expect(added.length).toBe(removed.length);
  expect(added.flat().filter(([kind, author, text]) => text.trim() !== '' && (kind !== 'ins' || author !== 'Amina'))).toEqual([]);
  // The text around them is as it was.
  expect(paragraphs.find((p) => textOf(p) === 'The parties agree as follows.')).toEqual([['same', '', 'The parties agree as follows.']]);
});

it('a changed fact of an objective shows its old value deleted and its new value inserted; its unchanged facts stay as they are', async () => {
  const paragraphs = await redlineParagraphs();
  const training = indexStarting(paragraphs, 'Objective: Training');
  const owners = paragraphs.slice(training).find((p) => p[0]?.[2].startsWith('Owners:'));
  expect(owners).toEqual([
    ['same', '', 'Owners:'],
    ['same', '', ' '],
    ['del', 'Amina', 'Amina'],
    ['ins', 'Amina', 'Joseph'],
  ]);
  const scope = paragraphs.slice(training).find((p) => p[0]?.[2].startsWith('Whose objective:'));
  expect(scope?.every(([kind]) => kind === 'same')).toBe(true);
});

it('a rule and an empty paragraph added between the versions are insertions in the redline', async () => {
  const xml = await redlineXml();
  expect(paragraphsOf(xml).find((p) => p.some(([, , text]) => text.includes('———')))).toEqual([['ins', 'Amina', '———']]);
  // The empty paragraph has no text to carry the change: its paragraph mark is tracked, so rejecting it in Word leaves nothing.
  const rest = xml.slice(xml.indexOf('———'));
  const emptyAdded = rest.split('</w:p>').filter((p) => !p.includes('<w:t') && /<w:pPr>.*<w:rPr>.*<w:ins [^>]*w:author="Amina"/.test(p));
  expect(emptyAdded.length).toBeGreaterThanOrEqual(1);
});

it('an objective whose title was edited shows the words deleted and inserted in its title line, not the old and new run together', async () => {
  const paragraphs = await redlineParagraphs();
  expect(paragraphs[indexStarting(paragraphs, 'Objective: Training')]).toEqual([
    ['same', '', 'Objective: '],
    ['same', '', 'Training '],
    ['del', 'Amina', 'days'],
    ['ins', 'Amina', 'weeks'],
  ]);
});

it("a suggestion in an objective's title shows tracked in the suggestions' redline, not run together with the words it replaces", async () => {
  const by = (type: 'insertion' | 'deletion') => ({ type, attrs: { name: 'Lena', date: '2026-12-01T09:00:00.000Z' } });
  const docx = await toRedlineDocx({
    agreementTitle: 'River Partnership',
    label: 'Open suggestions',
    lines: [],
    changeDate: '2026-12-01T10:00:00.000Z',
    parties,
    content: {
      type: 'doc',
      content: [
        {
          type: 'objective',
          attrs: { id: 'o1', scope: 'shared' },
          content: [
            {
              type: 'objectiveTitle',
              content: [
                { type: 'text', text: 'Clean ' },
                { type: 'text', text: 'wells', marks: [by('deletion')] },
                { type: 'text', text: 'springs', marks: [by('insertion')] },
              ],
            },
          ],
        },
      ],
    },
  });
  const paragraphs = paragraphsOf(documentXml(docx));
  expect(paragraphs[indexStarting(paragraphs, 'Objective: ')]).toEqual([
    ['same', '', 'Objective: '],
    ['same', '', 'Clean '],
    ['del', 'Lena', 'wells'],
    ['ins', 'Lena', 'springs'],
  ]);
});

it('words changed in a code block are tracked in the redline, in the code block’s font, not run together with the words they replace', async () => {
  const by = (type: 'insertion' | 'deletion') => ({ type, attrs: { name: 'Lena', date: '2026-12-01T09:00:00.000Z' } });
  const docx = await toRedlineDocx({
    agreementTitle: 'River Partnership',
    label: 'Open suggestions',
    lines: [],
    changeDate: '2026-12-01T10:00:00.000Z',
    parties,
    content: {
      type: 'doc',
      content: [
        {
          type: 'codeBlock',
          content: [
            { type: 'text', text: 'rate = ' },
            { type: 'text', text: '0.5', marks: [by('deletion')] },
            { type: 'text', text: '0.6', marks: [by('insertion')] },
          ],
        },
      ],
    },
  });
  const xml = documentXml(docx);
  const paragraphs = paragraphsOf(xml);
  expect(paragraphs[indexStarting(paragraphs, 'rate = ')]).toEqual([
    ['same', '', 'rate = '],
    ['del', 'Lena', '0.5'],
    ['ins', 'Lena', '0.6'],
  ]);
  const code = xml.split('</w:p>').find((p) => p.includes('rate = ')) ?? '';
  expect(code.match(/w:ascii="Courier New"/g)?.length).toBe(3);
});
