import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import { emptyObjective } from '#shared/objective';
import { documentSchema } from '#shared/schema';
import { TEMPLATE_SECTIONS } from '#shared/template';
import { StructureSource } from '../../client/src/objectives/structureSource';
import { setTextFact } from '../support/document';

/**
 * The side panels' reading of the text (client/src/objectives/structureSource.ts): incremental,
 * yet the same JSON a whole read gives, and silent when only a paragraph's words changed.
 */

const schema = documentSchema();
const prompt = TEMPLATE_SECTIONS[0].prompt;

function setup() {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment('content');
  const content = [
    { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Parties' }] },
    { type: 'paragraph', content: [{ type: 'text', text: prompt }] },
    ...Array.from({ length: 60 }, (_, i) => ({ type: 'paragraph', content: [{ type: 'text', text: `Clause ${i} of the agreement.` }] })),
    emptyObjective({ id: 'objective-1', owners: 'Steering group' }),
    { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Objectives' }] },
  ];
  prosemirrorJSONToYXmlFragment(schema, { type: 'doc', content }, fragment);
  const source = new StructureSource(fragment, schema);
  fragment.observeDeep((events) => source.invalidate(events));
  const text = (index: number) => (fragment.get(index) as Y.XmlElement).get(0) as Y.XmlText;
  const whole = () => yXmlFragmentToProseMirrorRootNode(fragment, schema).toJSON();
  return { doc, fragment, source, text, whole };
}

describe('the structure panels’ reading of the text', () => {
  it('reads again only the block an edit touched, and reports no change for a paragraph’s words', () => {
    const s = setup();
    expect(s.source.read()).toEqual({ doc: s.whole(), changed: true });
    const converted = s.source.conversions;

    s.text(30).insert(0, 'Amended: ');
    const after = s.source.read();

    expect(s.source.conversions - converted).toBe(1);
    expect(after.changed).toBe(false);
    expect(after.doc).toEqual(s.whole());
  });

  it('reports a change when a heading, an objective or a section’s only prompt changes', () => {
    const s = setup();
    s.source.read();

    s.text(0).insert(7, ' and partners');
    expect(s.source.read().changed).toBe(true);

    const objective = s.fragment.get(62) as Y.XmlElement;
    objective.setAttribute('quickWin', true as unknown as string);
    const read = s.source.read();
    expect(read.changed).toBe(true);
    expect(read.doc).toEqual(s.whole());
    // Owners are a field of the objective holding text: typed there, the quick-win list reads them again.
    setTextFact(objective, 'owners', 'Board');
    const typed = s.source.read();
    expect(typed.changed).toBe(true);
    expect(typed.doc).toEqual(s.whole());

    s.text(1).delete(0, prompt.length);
    s.text(1).insert(0, 'The river basin water board and two NGOs.');
    expect(s.source.read().changed).toBe(true);
    expect(s.source.read().changed).toBe(false);
  });

  it('stays equal to a whole read through blocks added, removed and rewritten', () => {
    const s = setup();
    s.source.read();
    s.doc.transact(() => {
      s.fragment.delete(5, 2);
      const block = new Y.XmlElement('heading');
      block.setAttribute('level', 3 as unknown as string);
      block.insert(0, [new Y.XmlText('Budget')]);
      s.fragment.insert(20, [block]);
      s.text(40).delete(0, 6);
    });
    const { doc, changed } = s.source.read();
    expect(changed).toBe(true);
    expect(doc).toEqual(s.whole());
  });
});
