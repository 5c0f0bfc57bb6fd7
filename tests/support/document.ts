import type { JSONContent } from '@tiptap/core';
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { documentSchema } from '#shared/schema';

/** Rewrites a client's copy of the agreement text to `doc` (Yjs sends only the difference). */
export function writeDocument(ydoc: Y.Doc, doc: JSONContent): void {
  prosemirrorJSONToYXmlFragment(documentSchema(), doc, ydoc.getXmlFragment('content'));
}

/** A client's copy of the agreement text as ProseMirror JSON. */
export function readDocument(ydoc: Y.Doc): JSONContent {
  return yXmlFragmentToProseMirrorRootNode(ydoc.getXmlFragment('content'), documentSchema()).toJSON() as JSONContent;
}

const text = (value: string): JSONContent[] => (value ? [{ type: 'text', text: value }] : []);

/** An objective block as ProseMirror JSON; `owners` and `indicators` among `attrs` go into their fields. */
export function objective(
  id: string,
  fields: { title?: string; intent?: string; band?: string; trigger?: string } = {},
  attrs: Record<string, unknown> = {},
): JSONContent {
  const { owners = '', indicators = '', ...rest } = attrs as { owners?: string; indicators?: string };
  return {
    ...legacyObjective(id, fields, rest),
    content: [
      ...legacyObjective(id, fields).content!,
      { type: 'objectiveOwners', content: text(owners) },
      { type: 'objectiveIndicators', content: text(indicators) },
    ],
  };
}

/** An objective block as texts stored before owners and indicators were fields held it: those as attributes, four fields. */
export function legacyObjective(
  id: string,
  fields: { title?: string; intent?: string; band?: string; trigger?: string } = {},
  attrs: Record<string, unknown> = {},
): JSONContent {
  return {
    type: 'objective',
    attrs: { id, scope: 'shared', ...attrs },
    content: [
      { type: 'objectiveTitle', content: text(fields.title ?? '') },
      { type: 'objectiveIntent', content: text(fields.intent ?? '') },
      { type: 'objectiveBand', content: text(fields.band ?? '') },
      { type: 'objectiveTrigger', content: text(fields.trigger ?? '') },
    ],
  };
}

/** Rewrites an objective's owners or indicators (a Yjs objective block's field) to `value`, as typing them over would. */
export function setTextFact(block: Y.XmlElement, key: 'owners' | 'indicators', value: string): void {
  const name = key === 'owners' ? 'objectiveOwners' : 'objectiveIndicators';
  const field = block.toArray().find((child): child is Y.XmlElement => child instanceof Y.XmlElement && child.nodeName === name);
  if (!field) throw new Error(`the objective has no ${name} field`);
  let text = field.toArray().find((child): child is Y.XmlText => child instanceof Y.XmlText);
  if (!text) field.insert(0, [(text = new Y.XmlText())]);
  text.delete(0, text.length);
  text.insert(0, value);
}

export function heading(level: number, value: string): JSONContent {
  return { type: 'heading', attrs: { level }, content: text(value) };
}

export function paragraph(value: string): JSONContent {
  return { type: 'paragraph', content: text(value) };
}

const FILLER = 'the parties agree to work together on water access sanitation and hygiene in the river basin each party contributes staff'.split(' ');

/** `count` words of agreement-like filler, varied by `seed`. */
export function fillerWords(seed: number, count: number): string {
  return Array.from({ length: count }, (_, i) => FILLER[(seed * 7 + i * 3) % FILLER.length]).join(' ');
}

/**
 * A long agreement: per page a heading "n. Section n" and ten 62-word paragraphs (about 650
 * words). `amendEvery: n` starts every n-th paragraph of a page with "Amended: " (a second
 * version to compare with the first); `objectiveEvery: n` adds a filled objective every n pages.
 */
export function longAgreement(pages: number, { amendEvery, objectiveEvery }: { amendEvery?: number; objectiveEvery?: number } = {}): JSONContent {
  const content: JSONContent[] = [];
  for (let p = 0; p < pages; p++) {
    content.push(heading(2, `${p + 1}. Section ${p + 1}`));
    for (let i = 0; i < 10; i++) content.push(paragraph(`${amendEvery && i % amendEvery === 0 ? 'Amended: ' : ''}${fillerWords(p * 10 + i, 62)}.`));
    if (objectiveEvery && p % objectiveEvery === 0) {
      content.push(objective(`o${p}`, { title: `Objective ${p}`, intent: fillerWords(p, 12), band: fillerWords(p + 1, 20), trigger: fillerWords(p + 2, 8) }));
    }
  }
  return { type: 'doc', content };
}

/** The text of each top-level paragraph longer than `longerThan` characters. */
export function paragraphTexts(doc: Y.Doc, longerThan: number): Y.XmlText[] {
  return doc
    .getXmlFragment('content')
    .toArray()
    .filter((block): block is Y.XmlElement => block instanceof Y.XmlElement && block.nodeName === 'paragraph')
    .map((block) => block.get(0))
    .filter((text): text is Y.XmlText => text instanceof Y.XmlText && text.length > longerThan);
}

/** Rewords one word in five of every paragraph, `rounds` times, in turns by three people: months of negotiation. */
export function reword(doc: Y.Doc, rounds: number): void {
  const texts = paragraphTexts(doc, 100);
  let seed = 11;
  const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  for (let round = 0; round < rounds; round++) {
    doc.clientID = 900_000 + (round % 3);
    doc.transact(() => {
      for (const text of texts) {
        for (let edit = 0; edit < 12; edit++) {
          const at = random(text.length - 8);
          text.delete(at, 1 + random(6));
          text.insert(at, ['shall', 'may', 'jointly', 'each year'][random(4)]);
        }
      }
    });
  }
}
