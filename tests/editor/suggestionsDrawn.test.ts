import { afterEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Editor } from '@tiptap/core';
import { prosemirrorJSONToYXmlFragment, ySyncPlugin } from '@tiptap/y-tiptap';
import { anchorAt, contentFragment } from '#shared/anchors';
import type { AgreementView } from '#shared/protocol';
import { documentSchema } from '#shared/schema';
import { suggestionsOf } from '#shared/suggestionStore';
import type { Suggestion } from '#shared/suggestions';
import { SuggestionsController } from '../../client/src/suggestions/SuggestionsController';
import { SuggestMode, suggestionsPluginKey } from '../../client/src/suggestions/suggestMode';
import { HeadlessView } from './headlessView';
import { waitFor } from '../support/poll';

const CLAUSE = 'Liability is shared between the parties.';
let view: HeadlessView | undefined;
afterEach(() => view?.destroy());

/**
 * A page that opens (or reloads) with the records room already holding an open suggestion: React
 * runs the records effect before the one that gives the controller the text's doc, so the
 * suggestion is first drawn while the controller cannot place it. Once the doc is known it must be.
 */
/** A text holding {@link CLAUSE}, and a records room holding an open suggestion to replace "shared between" in it. */
function textWithSuggestion() {
  const content = new Y.Doc();
  prosemirrorJSONToYXmlFragment(
    documentSchema(),
    { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: CLAUSE }] }] },
    contentFragment(content),
  );
  const from = 1 + CLAUSE.indexOf('shared between');
  const records = new Y.Doc();
  suggestionsOf(records).set('s1', {
    id: 's1',
    kind: 'text',
    anchor: anchorAt(contentFragment(content), from, from + 'shared between'.length),
    deleted: 'shared between',
    text: 'split equally between',
    author: { personId: 'p1', name: 'Nia', role: 'negotiator' },
    createdAt: new Date(0).toISOString(),
    status: 'open',
    comments: [],
  } as unknown as Suggestion);
  return { content, records };
}

/** That text shown in an editor (headless) with the suggestions extension, its controller told nothing yet. */
async function shownWithController() {
  const { content, records } = textWithSuggestion();
  const agreement = { id: 'a', title: 'A', parties: [], me: { personId: 'p2', role: 'negotiator', name: 'Ben' } } as unknown as AgreementView;
  const controller = new SuggestionsController(agreement, 'token');
  const plugins = SuggestMode.config.addProseMirrorPlugins!.call({ options: { controller } } as never);
  const shown = new HeadlessView(documentSchema(), [ySyncPlugin(contentFragment(content)), ...plugins]);
  view = shown;
  await waitFor(() => shown.state.doc.textContent === CLAUSE, { what: 'the text shown' });
  return { content, records, controller, view: shown };
}

/** The words struck through as suggested away, and the keys of what is drawn, in the view's suggestions state. */
function drawnNow(view: HeadlessView) {
  const drawn = suggestionsPluginKey.getState(view.state as never)!.find();
  const struck = drawn.filter((d) => (d as unknown as { type: { attrs?: { class?: string } } }).type.attrs?.class?.startsWith('suggestion-del'));
  return { drawn, struck: struck.map((d) => view.state.doc.textBetween(d.from, d.to)) };
}

it('an open suggestion read before the text’s doc was known is drawn once the doc is', async () => {
  const { content, records, controller, view } = await shownWithController();
  controller.setEditor({ view } as unknown as Editor);

  // The order of SuggestionsProvider's effects: the records first, then the text's doc.
  controller.followRecords(records);
  controller.setContentDoc(content);

  const { drawn, struck } = drawnNow(view);
  expect(struck).toEqual(['shared between']);
  // The proposed words are drawn after the struck ones, and the suggestion is not taken for outdated.
  const keys = drawn.map((d) => String((d.spec as { key?: string }).key));
  expect(keys.filter((k) => k.startsWith('ins:s1:'))).toEqual(['ins:s1:split equally between:']);
  expect(drawn.filter((d) => (d as unknown as { type: { attrs?: { class?: string } } }).type.attrs?.class?.includes('outdated'))).toEqual([]);
  controller.destroy();
});

/**
 * Tiptap tells the extension its editor (onCreate) a task after the view is made and the text shown:
 * suggestions read from the records room in between could not be drawn then (no editor to redraw)
 * and were drawn nowhere until the text next changed. Seen once in CI: a reloaded page without its
 * open suggestion struck through.
 */
it('an open suggestion read after the text is shown but before the editor is known is drawn once it is', async () => {
  const { content, records, controller, view } = await shownWithController();
  controller.setContentDoc(content);
  controller.followRecords(records);
  expect(drawnNow(view).struck).toEqual([]);

  controller.setEditor({ view } as unknown as Editor);

  expect(drawnNow(view).struck).toEqual(['shared between']);
  controller.destroy();
});
