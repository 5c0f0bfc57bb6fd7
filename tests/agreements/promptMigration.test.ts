import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { TEMPLATE_PROMPTS } from '#shared/template';
import { stripLegacyPrompts } from '../../server/src/documents/promptMigration';
import { longAgreement, reword, writeDocument } from '../support/document';

// The migration read every paragraph's whole delta at each load of a text (every deleted piece
// included): 17 to 70 ms a load on 40 pages reworded for months. It now reads a paragraph's delta
// only when its first characters are a prompt; these check it still finds every prompt.

const prompt = [...TEMPLATE_PROMPTS][0];

/** A paragraph whose text is typed a character at a time, italic, with a typo made and taken back halfway. */
function typedParagraph(fragment: Y.XmlFragment, words: string): Y.XmlText {
  const text = new Y.XmlText();
  const block = new Y.XmlElement('paragraph');
  block.insert(0, [text]);
  fragment.push([block]);
  const half = Math.floor(words.length / 2);
  for (let i = 0; i < words.length; i++) {
    text.insert(i, words[i], { italic: true });
    if (i === half) {
      text.insert(i + 1, 'qq', { italic: true });
      text.delete(i + 1, 2);
    }
  }
  return text;
}

it('strips a prompt typed a character at a time, a correction inside it, and leaves what was typed after it', () => {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment('content');
  const prompted = typedParagraph(fragment, `${prompt} Our own words.`);
  const notAtStart = typedParagraph(fragment, `Before: ${prompt}`);
  expect(stripLegacyPrompts(fragment)).toBe(1);
  expect(prompted.toDelta()).toEqual([{ insert: 'Our own words.' }]);
  expect(notAtStart.toDelta()).toEqual([{ insert: `Before: ${prompt}`, attributes: { italic: true } }]);
});

it('changes nothing in a long agreement reworded for months that holds no prompt', () => {
  const doc = new Y.Doc();
  writeDocument(doc, longAgreement(4));
  reword(doc, 3);
  const before = Y.encodeStateAsUpdate(doc);
  expect(stripLegacyPrompts(doc.getXmlFragment('content'))).toBe(0);
  expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
});
