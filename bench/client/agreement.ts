import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import type { JSONContent } from '@tiptap/core';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import { anchorAt, childTypes, contentFragment } from '../../shared/src/anchors';
import { documentSchema } from '../../shared/src/schema';
import { emptyObjective } from '../../shared/src/objective';
import type { CreateAgreementResponse, InviteResponse } from '../../shared/src/protocol';

/**
 * A long agreement filled through a stock y-websocket client, as a person's browser would
 * write it: about 650 words and 11 blocks a page, one objective every two pages, one and a
 * half comment threads a page. 40 pages give ~26,000 words, ~450 blocks, 20 objectives, 60 threads.
 */

const WORDS =
  'the parties agree to work together on water access sanitation and hygiene in the river basin each party contributes staff funding and knowledge according to the work plan progress is reviewed every quarter by the steering group which decides by consent'.split(
    ' ',
  );
const WORDS_PER_PARAGRAPH = 62;
const PARAGRAPHS_PER_PAGE = 10;

export interface Fixture {
  id: string;
  http: string;
  ws: string;
  /** The broker who created the agreement. */
  brokerToken: string;
  /** The person measured in the browser (a negotiator). */
  pageToken: string;
  typistTokens: string[];
  /** Paragraph texts the typists type at the end of (their first words mark them). */
  typistMarks: string[];
  /** The first words of the paragraph the measured person types into. */
  pageMark: string;
  /** Text of the last block: the editor is loaded once it is shown. */
  endMark: string;
  pages: number;
  blocks: number;
  words: number;
  threads: number;
}

/**
 * The filler's 38 words repeat, so its text deflates to a twentieth where written prose deflates to
 * about a third. `text: 'prose'` fills the paragraphs with this repository's own English notes
 * (README.md and bench/README.md, markup and colons taken out) instead, for figures that depend on
 * how the text compresses (a first visit on a slow link).
 */
export type FillText = 'filler' | 'prose';

let proseWords: string[] | undefined;
function prose(): string[] {
  proseWords ??= ['../../README.md', '../README.md']
    .map((path) => readFileSync(fileURLToPath(new URL(path, import.meta.url)), 'utf8'))
    .join(' ')
    .replace(/```[\s\S]*?```/g, ' ')
    .replace(/[|*`#>_:[\]()]/g, ' ')
    .split(/\s+/)
    .filter((word) => word.length > 0 && !/^-+$/.test(word));
  return proseWords;
}

function paragraph(seed: number, fill: FillText): string {
  const words: string[] = [];
  if (fill === 'prose') {
    const all = prose();
    for (let i = 0; i < WORDS_PER_PARAGRAPH; i++) words.push(all[(seed * WORDS_PER_PARAGRAPH + i) % all.length]);
    return words.join(' ');
  }
  for (let i = 0; i < WORDS_PER_PARAGRAPH; i++) words.push(WORDS[(seed * 7 + i * 3) % WORDS.length]);
  return words.join(' ') + '.';
}

const text = (t: string): JSONContent => ({ type: 'text', text: t });

/** Where the measured person types: a paragraph in the middle, or the flexible band of the objective nearest it. */
export type Where = 'paragraph' | 'objective';

function documentOf(pages: number, marks: { page: string; typists: string[]; end: string }, where: Where, fill: FillText): JSONContent {
  const content: JSONContent[] = [{ type: 'heading', attrs: { level: 1 }, content: [text('Partnership agreement')] }];
  const total = pages * PARAGRAPHS_PER_PAGE;
  // The measured person writes in the middle; one typist two paragraphs below (on screen), one far below,
  // and any more (`--typists`) spread over the rest of the text.
  const at = new Map([
    [Math.floor(total / 2), marks.page],
    [Math.floor(total / 2) + 2, marks.typists[0]],
    [Math.floor(total * 0.85), marks.typists[1]],
  ]);
  marks.typists.slice(2).forEach((mark, i, more) => {
    let p = Math.floor((total * (i + 0.5)) / more.length);
    while (at.has(p)) p = (p + 1) % total;
    at.set(p, mark);
  });
  let objectives = Math.ceil(pages / 2);
  const objectiveSpots = [...Array(total).keys()].filter((p) => p % (2 * PARAGRAPHS_PER_PAGE) === 5).slice(0, objectives);
  // The objective nearest the middle paragraph holds the measured person's mark, in its flexible band.
  const markedObjective = where === 'objective' ? objectiveSpots.reduce((a, b) => (Math.abs(b - total / 2) < Math.abs(a - total / 2) ? b : a)) : -1;
  if (where === 'objective') at.set(Math.floor(total / 2), '');
  for (let p = 0; p < total; p++) {
    if (p % PARAGRAPHS_PER_PAGE === 0) content.push({ type: 'heading', attrs: { level: 2 }, content: [text(`${p / PARAGRAPHS_PER_PAGE + 1}. Section`)] });
    const mark = at.get(p);
    content.push({ type: 'paragraph', content: [text(mark ? `${mark} ` : paragraph(p, fill))] });
    if (p % (2 * PARAGRAPHS_PER_PAGE) === 5 && objectives > 0) {
      objectives--;
      const objective = emptyObjective({ scope: 'shared', owners: 'Steering group', indicators: 'Households served', targetDate: '2027-06-30' });
      const [title, intent, band, trigger, ...facts] = objective.content ?? [];
      objective.content = [
        ...[title, intent, band, trigger].map((field, i) => ({
          type: field.type,
          content: [
            text(
              p === markedObjective && i === 2
                ? `${marks.page} `
                : `${['Objective title', 'Fixed intent of the objective', 'Between 800 and 1,200 households', 'When funding changes'][i]} ${p}`,
            ),
          ],
        })),
        // The owners and indicators fields, as emptyObjective filled them.
        ...facts,
      ];
      content.push(objective);
    }
  }
  content.push({ type: 'paragraph', content: [text(marks.end)] });
  return { type: 'doc', content };
}

/**
 * The broker starts a live working session on the agreement (three agenda items, the first current), so
 * every page opened after shows what a session brings: the running session's bar, its clock, the agenda.
 */
export async function startLiveSession(fixture: Fixture): Promise<void> {
  const agenda = ['Scope', 'Contributions', 'Governance'].map((title) => ({ kind: 'free', title, plannedMinutes: 20 }));
  const session = await api<{ id: string }>(
    fixture.http,
    'POST',
    `/api/agreements/${fixture.id}/sessions`,
    { title: 'Working session', agenda },
    fixture.brokerToken,
  );
  await api(fixture.http, 'POST', `/api/agreements/${fixture.id}/sessions/${session.id}/start`, {}, fixture.brokerToken);
}

async function api<T>(http: string, method: string, path: string, body: unknown, token?: string): Promise<T> {
  const response = await fetch(http + path, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/**
 * Months of negotiation leave a text in many small pieces: every reworded word is an insertion and
 * a deletion of its own in the Yjs document, where a text written in one go is one piece a
 * paragraph. Each round rewords one word in five of every ordinary paragraph (so `rounds` of 5
 * rework each word about once), one transaction per ten paragraphs, as several people's edits
 * over time would arrive. The marked paragraphs (where people type, the end) are left alone.
 */
function reword(fragment: Y.XmlFragment, rounds: number): void {
  const paragraphs = [...childTypes(fragment)]
    .filter((block): block is Y.XmlElement => block instanceof Y.XmlElement && block.nodeName === 'paragraph')
    .map((block) => block.get(0))
    .filter((t): t is Y.XmlText => t instanceof Y.XmlText && !t.toString().includes(':') && !t.toString().startsWith('End of'));
  let seed = 1;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  for (let round = 0; round < rounds; round++) {
    for (let from = 0; from < paragraphs.length; from += 10) {
      fragment.doc!.transact(() => {
        for (const t of paragraphs.slice(from, from + 10)) {
          const words = t.toString().split(' ');
          for (let edit = 0; edit < Math.ceil(words.length / 5); edit++) {
            const current = t.toString().split(' ');
            const at = random(current.length - 1);
            const offset = current.slice(0, at).join(' ').length + (at > 0 ? 1 : 0);
            t.delete(offset, current[at].length);
            t.insert(offset, WORDS[random(WORDS.length)]);
          }
        }
      });
    }
  }
}

/**
 * Creates an agreement of `pages` pages on the server at `http` and returns who will open and type in it;
 * `historyRounds` rounds of rewording first (see `reword`), for a text as it stands after months.
 */
export async function fillAgreement(
  http: string,
  pages: number,
  where: Where = 'paragraph',
  historyRounds = 0,
  fill: FillText = 'filler',
  typists = 2,
): Promise<Fixture> {
  const ws = http.replace('http', 'ws') + '/collab';
  const created = await api<CreateAgreementResponse>(http, 'POST', '/api/agreements', {
    title: `Bench agreement (${pages} pages)`,
    parties: [
      { name: 'River NGO', sector: 'ngo' },
      { name: 'Acme Water', sector: 'business' },
    ],
    creatorName: 'Bea Broker',
  });
  const invite = async (name: string, party: string) =>
    (await api<InviteResponse>(http, 'POST', `/api/agreements/${created.id}/invites`, { role: 'negotiator', name, party }, created.token)).token;
  const [ngo, business] = created.parties;
  const pageToken = await invite('Nia Negotiator', ngo.id);
  const typistNames = ['Kofi Typist', 'Mara Typist', ...Array.from({ length: Math.max(0, typists - 2) }, (_, i) => `Typist ${i + 3}`)];
  const typistTokens: string[] = [];
  for (const [i, name] of typistNames.entries()) typistTokens.push(await invite(name, (i % 2 === 0 ? ngo : business).id));
  const typistMarks = ['First typist writes here:', 'Second typist writes here:', ...typistNames.slice(2).map((name) => `${name} writes here:`)];
  const marks = { page: 'Measured person writes here:', typists: typistMarks, end: 'End of the agreement.' };

  const json = documentOf(pages, marks, where, fill);
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(ws, created.id, doc, {
    params: { token: created.token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  await new Promise<void>((resolve) => provider.once('sync', () => resolve()));
  prosemirrorJSONToYXmlFragment(documentSchema(), json, contentFragment(doc));
  reword(contentFragment(doc), historyRounds);

  // Threads on passages of ordinary paragraphs spread through the text, written in turn by the broker and the three
  // negotiators (the server allows each person 60 comments a minute).
  const commenters = [created.token, pageToken, ...typistTokens];
  const pm = documentSchema().nodeFromJSON(json);
  const spots: number[] = [];
  pm.forEach((node, offset) => {
    if (node.type.name === 'paragraph' && !node.textContent.includes(':')) spots.push(offset);
  });
  const threads = Math.round(pages * 1.5);
  for (let i = 0; i < threads; i++) {
    const start = spots[Math.floor(((i + 0.5) * spots.length) / threads)] + 1 + (i % 5) * 4;
    const anchor = anchorAt(contentFragment(doc), start, start + 30);
    // Up to 30 s: on a machine busy with other work the server took over 2 s to hold 40 pages.
    const giveUpAt = Date.now() + 30_000;
    for (;;) {
      try {
        await api(
          http,
          'POST',
          `/api/agreements/${created.id}/threads`,
          { anchor, body: `Comment ${i}: can we say this more precisely?` },
          commenters[i % commenters.length],
        );
        break;
      } catch (err) {
        // The server may not have the text yet.
        if (Date.now() > giveUpAt) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
  provider.destroy();
  doc.destroy();
  const words = pm.textContent.split(/\s+/).length;
  return {
    id: created.id,
    http,
    ws,
    brokerToken: created.token,
    pageToken,
    typistTokens,
    typistMarks: marks.typists,
    pageMark: marks.page,
    endMark: marks.end,
    pages,
    blocks: pm.childCount,
    words,
    threads,
  };
}

/** Text of each top-level block as the server holds it, read through a stock y-websocket client (name: text). */
export async function serverBlocks(ws: string, room: string, token: string): Promise<string[]> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(ws, room, doc, {
    params: { token },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  try {
    await new Promise<void>((resolve) => provider.once('sync', () => resolve()));
    const textOf = (type: unknown): string =>
      type instanceof Y.XmlText
        ? type
            .toDelta()
            .map((d: { insert: unknown }) => (typeof d.insert === 'string' ? d.insert : ''))
            .join('')
        : type instanceof Y.XmlElement
          ? type.toArray().map(textOf).join('')
          : '';
    return [...childTypes(contentFragment(doc))].map((block) => `${block instanceof Y.XmlElement ? block.nodeName : '?'}: ${textOf(block)}`);
  } finally {
    provider.destroy();
    doc.destroy();
  }
}
