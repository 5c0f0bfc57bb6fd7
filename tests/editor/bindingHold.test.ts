import { afterEach, expect, it } from 'vitest';
import * as Y from 'yjs';
import { prosemirrorJSONToYXmlFragment, ySyncPlugin, ySyncPluginKey } from '@tiptap/y-tiptap';
import { CONTENT_FIELD } from '#shared/rooms';
import { documentSchema } from '#shared/schema';
import { causalPieces } from '#shared/causalPieces';
import { holdBinding } from '../../client/src/session/bindingHold';
import { HeadlessView, loadingRest } from './headlessView';
import { waitFor } from '../support/poll';

/**
 * While a long text's copy is applied in pieces across tasks (client/src/session/piecewiseSync.ts)
 * the editor's binding is held (bindingHold.ts; the `_held` part of our y-tiptap patch): the
 * document then holds half-applied wording, which must not be shown, and the editor is behind it,
 * which must not be written back.
 */

const BLOCKS = 200;
const clauses = (prefix = 'Clause') => ({
  type: 'doc',
  content: Array.from({ length: BLOCKS }, (_, i) => ({ type: 'paragraph', content: [{ type: 'text', text: `${prefix} ${i}.` }] })),
});

let cleanup: (() => void) | undefined;
afterEach(() => {
  cleanup?.();
  cleanup = undefined;
});

function bound(reader: Y.Doc) {
  const view = new HeadlessView(documentSchema(), [ySyncPlugin(reader.getXmlFragment(CONTENT_FIELD))]);
  const editable = () => {
    const plugin = ySyncPluginKey.get(view.state);
    return plugin?.props.editable?.call(plugin, view.state) !== false;
  };
  const shown = () => Array.from({ length: view.state.doc.childCount }, (_, i) => view.state.doc.child(i).textContent);
  const shared = () =>
    reader
      .getXmlFragment(CONTENT_FIELD)
      .toArray()
      .map((block) => ((block as Y.XmlElement).get(0) as Y.XmlText).toString());
  return { view, editable, shown, shared };
}

/** A writer holding the long text, and a reader whose editor is empty and ready (as before a first load). */
async function emptyEditorAndWriter() {
  const writer = new Y.Doc();
  prosemirrorJSONToYXmlFragment(documentSchema(), clauses(), writer.getXmlFragment(CONTENT_FIELD));
  const reader = new Y.Doc();
  const editor = bound(reader);
  cleanup = () => (editor.view.destroy(), writer.destroy(), reader.destroy());
  await waitFor(() => !loadingRest(editor.view), { what: 'the empty editor ready' });
  return { writer, reader, ...editor };
}

it('shows nothing of a text arriving in pieces until the hold ends, is not editable meanwhile, then shows all of it', async () => {
  const { writer, reader, view, editable, shown, shared } = await emptyEditorAndWriter();
  view.transactions.length = 0;

  const pieces = causalPieces(Y.encodeStateAsUpdate(writer), 100);
  expect(pieces.length).toBeGreaterThan(5);
  const release = holdBinding(reader);
  expect(editable()).toBe(false);
  for (const piece of pieces) {
    Y.applyUpdate(reader, piece, 'server');
    expect(view.state.doc.textContent).toBe('');
  }
  expect(view.transactions.filter((tr) => tr.docChanged)).toHaveLength(0);

  release();
  await waitFor(() => !loadingRest(view), { what: 'the whole text shown' });
  expect(shown()).toEqual(shared());
  expect(shown()).toHaveLength(BLOCKS);
  expect(editable()).toBe(true);
  view.dispatch(view.state.tr.insertText('Agreed: ', 1));
  expect(shared()[0]).toBe('Agreed: Clause 0.');
});

it('keeps the text it showed while changes arrive held, refuses a local change meanwhile instead of writing its stale view back, and shows every change when the hold ends', async () => {
  const writer = new Y.Doc();
  const reader = new Y.Doc();
  writer.on('update', (update: Uint8Array) => Y.applyUpdate(reader, update, 'server'));
  prosemirrorJSONToYXmlFragment(documentSchema(), clauses(), writer.getXmlFragment(CONTENT_FIELD));
  const { view, editable, shown, shared } = bound(reader);
  cleanup = () => (view.destroy(), writer.destroy(), reader.destroy());
  await waitFor(() => !loadingRest(view), { what: 'the whole text shown' });
  const before = shown();

  const release = holdBinding(reader);
  const text = (i: number) => (writer.getXmlFragment(CONTENT_FIELD).get(i) as Y.XmlElement).get(0) as Y.XmlText;
  text(120).insert(0, 'Reworded: ');
  writer.getXmlFragment(CONTENT_FIELD).delete(10, 5);
  expect(shown()).toEqual(before);
  expect(editable()).toBe(false);
  // A command dispatched meanwhile: written back, it would restore the deleted blocks and drop the rewording.
  view.dispatch(view.state.tr.insertText('Local: ', 1));
  expect(shown()).toEqual(before);
  expect(shared()).toHaveLength(BLOCKS - 5);
  expect(shared()[115]).toBe('Reworded: Clause 120.');

  release();
  await waitFor(() => !loadingRest(view), { what: 'the whole text shown' });
  expect(shown()).toEqual(shared());
  expect(shown()[115]).toBe('Reworded: Clause 120.');
  expect(editable()).toBe(true);
});

it('an editor created during the hold starts held and shows the text once it ends', async () => {
  const writer = new Y.Doc();
  prosemirrorJSONToYXmlFragment(documentSchema(), clauses(), writer.getXmlFragment(CONTENT_FIELD));
  const reader = new Y.Doc();
  const release = holdBinding(reader);
  const [first, ...rest] = causalPieces(Y.encodeStateAsUpdate(writer), 100);
  Y.applyUpdate(reader, first, 'server');
  const { view, editable, shown, shared } = bound(reader);
  cleanup = () => (view.destroy(), writer.destroy(), reader.destroy());
  for (const piece of rest) Y.applyUpdate(reader, piece, 'server');
  // The editor shows a text already in the document from a task after its creation: not while held.
  await new Promise((resolve) => setTimeout(resolve, 50));
  expect(view.state.doc.textContent).toBe('');
  expect(editable()).toBe(false);

  release();
  await waitFor(() => !loadingRest(view), { what: 'the whole text shown' });
  expect(shown()).toEqual(shared());
  expect(shown()).toHaveLength(BLOCKS);
});

it('stays held until the last of two holds ends (the server copy and the local copy arriving at once)', async () => {
  const { writer, reader, view, editable, shown, shared } = await emptyEditorAndWriter();
  const server = holdBinding(reader);
  const local = holdBinding(reader);
  Y.applyUpdate(reader, Y.encodeStateAsUpdate(writer), 'server');
  server();
  server();
  expect(view.state.doc.textContent).toBe('');
  expect(editable()).toBe(false);
  local();
  await waitFor(() => !loadingRest(view), { what: 'the whole text shown' });
  expect(shown()).toEqual(shared());
});
