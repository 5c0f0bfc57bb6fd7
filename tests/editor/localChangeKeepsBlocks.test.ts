import { expect, it } from 'vitest';
import * as Y from 'yjs';
import type { JSONContent } from '@tiptap/core';
import { TextSelection } from '@tiptap/pm/state';
import { prosemirrorJSONToYXmlFragment, ySyncPlugin } from '@tiptap/y-tiptap';
import { CONTENT_FIELD } from '#shared/rooms';
import { documentSchema } from '#shared/schema';
import { editAroundForeignObjectives } from '../../client/src/objectives/keepForeignObjectives';
import { heading, objective, paragraph } from '../support/document';
import { waitFor } from '../support/poll';
import { HeadlessView, loadingRest } from './headlessView';

const NGO = 'ngo-party';

// Ben deleted from a heading across a shared objective and the NGO's own objective into the paragraph after them: the NGO's
// objective was kept, but the binding wrote the change as the shared objective's block rewritten into the NGO's (its scope
// set to the NGO) and the NGO's block deleted. The server refused that as giving an objective to another party, and
// reloaded his text.
it('a local change that deletes a block before a kept one, and changes blocks on both sides, keeps the kept block’s Yjs element', async () => {
  const ydoc = new Y.Doc();
  const fragment = ydoc.getXmlFragment(CONTENT_FIELD);
  const blocks: JSONContent[] = [
    heading(2, 'Shared objectives'),
    objective('s1', { title: 'Fund the water kiosks', band: '40 to 60 kiosks' }, { owners: 'Ben' }),
    objective('o1', { title: 'Restore the river bank' }, { scope: NGO, owners: 'Amina' }),
    paragraph('Closing words.'),
  ];
  prosemirrorJSONToYXmlFragment(documentSchema(), { type: 'doc', content: blocks }, fragment);
  const view = new HeadlessView(documentSchema(), [ySyncPlugin(fragment)]);
  try {
    await waitFor(() => view.state.doc.childCount === 4 && !loadingRest(view), { what: 'the text shown' });
    const kept = fragment.get(2) as Y.XmlElement;
    const attributesSet: string[] = [];
    fragment.observeDeep((events) => events.forEach((e) => e.changes.keys.forEach((_change, key) => attributesSet.push(key))));

    const text = view.state.doc.textContent;
    const at = (words: string) => {
      let found = -1;
      view.state.doc.descendants((node, pos) => {
        const i = node.isText ? (node.text ?? '').indexOf(words) : -1;
        if (found < 0 && i >= 0) found = pos + i;
        return found < 0;
      });
      return found;
    };
    expect(text).toContain('Closing words.');
    const state = view.state.apply(view.state.tr.setSelection(TextSelection.create(view.state.doc, at('objectives'), at('words'))));
    view.state = state;
    const around = editAroundForeignObjectives(state, state.tr.deleteSelection(), (scope) => scope !== NGO);
    view.dispatch(around!);

    expect(fragment.toArray().map((block) => (block as Y.XmlElement).nodeName)).toEqual(['heading', 'objective', 'paragraph']);
    expect(fragment.get(1)).toBe(kept);
    expect(attributesSet).toEqual([]);
  } finally {
    view.destroy();
    ydoc.destroy();
  }
});
