import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { heading, objective, paragraph, writeDocument } from '../support/document';
import { passages, passagesNotIn } from '../../client/src/session/unsavedWords';

// A refused change's words, offered to copy (client/src/session/unsavedWords.ts): each textblock
// the server's text lacks, as the person had it.
const docOf = (content: object[]) => {
  const doc = new Y.Doc();
  writeDocument(doc, { type: 'doc', content });
  return doc;
};

it('reads every textblock in order: headings, paragraphs, an objective’s fields, a line break as a new line', () => {
  const doc = docOf([
    heading(2, '1. Parties'),
    { type: 'paragraph', content: [{ type: 'text', text: 'First line' }, { type: 'hardBreak' }, { type: 'text', text: 'second', marks: [{ type: 'bold' }] }] },
    objective('o1', { title: 'Restore the banks', intent: 'Clean water' }, { owners: 'Amina' }),
  ]);
  expect(passages(doc)).toEqual(expect.arrayContaining(['1. Parties', 'First line\nsecond', 'Restore the banks', 'Clean water']));
  expect(passages(doc).indexOf('1. Parties')).toBeLessThan(passages(doc).indexOf('Clean water'));
});

it('offers the passages the server lacks, whole, and each repeated one as often as it is missing', () => {
  const refused = passages(
    docOf([paragraph('Shared start. Added offline.'), paragraph('Same.'), paragraph('Same.'), paragraph('Kept.'), { type: 'paragraph' }]),
  );
  const server = passages(docOf([paragraph('Shared start.'), paragraph('Same.'), paragraph('Kept.')]));
  expect(passagesNotIn(refused, server)).toEqual(['Shared start. Added offline.', 'Same.']);
});
