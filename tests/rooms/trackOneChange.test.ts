import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { trackOneChange } from '../../server/src/rooms/trackOneChange';

/** A fragment of paragraphs, each one XmlText, as the agreement's text is. */
function paragraphs(fragment: Y.XmlFragment): string[] {
  return fragment.toArray().map((p) => ((p as Y.XmlElement).get(0) as Y.XmlText).toString());
}

function paragraph(text: string): Y.XmlElement {
  const p = new Y.XmlElement('paragraph');
  p.insert(0, [new Y.XmlText(text)]);
  return p;
}

it('takes back the one change it tracked and nothing else: what others wrote before and after it stays', () => {
  const doc = new Y.Doc();
  const fragment = doc.getXmlFragment('content');
  doc.transact(() => fragment.insert(0, [paragraph('Clause one.'), paragraph('Clause two.')]), 'someone');

  const change = trackOneChange(fragment, () =>
    doc.transact(
      () => {
        fragment.delete(0, 2);
        fragment.insert(0, [paragraph('Restored clause.')]);
      },
      { kind: 'server' },
    ),
  );
  // Others go on writing, under origins of every kind, before the change is taken back.
  doc.transact(() => fragment.insert(1, [paragraph('Written meanwhile.')]), { kind: 'server' });
  doc.transact(() => ((fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, 'Edited: '), null);
  expect(paragraphs(fragment)).toEqual(['Edited: Restored clause.', 'Written meanwhile.']);

  doc.transact(() => change.undo(), { kind: 'server' });
  // The text before is back, the paragraph written meanwhile kept (where the merge puts it); the edit
  // inside the restored paragraph went with it.
  const after = paragraphs(fragment);
  expect(after.filter((p) => p !== 'Written meanwhile.')).toEqual(['Clause one.', 'Clause two.']);
  expect(after).toContain('Written meanwhile.');
  expect(after).toHaveLength(3);
  change.forget();
  // Forgotten: a second undo does nothing.
  change.undo();
  expect(paragraphs(fragment)).toEqual(after);
});
