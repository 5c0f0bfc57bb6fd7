// The peer: a collaborative editor built the way Tiptap's documentation shows, with nothing of
// the app's (no objective blocks, comments, suggestions or guards): Tiptap 3's StarterKit, its
// Collaboration and CollaborationCaret extensions on the published @tiptap/y-tiptap binding, and
// the stock y-websocket provider talking to the y-websocket reference server. Bundled by
// bench/client/peerEditor.ts; the page's address carries the server and room.
import { Editor } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';

const params = new URLSearchParams(location.search);
const doc = new Y.Doc();
const provider = new WebsocketProvider(params.get('ws') ?? '', params.get('room') ?? '', doc, { disableBc: true });
new Editor({
  element: document.querySelector('#editor') as HTMLElement,
  extensions: [
    StarterKit.configure({ undoRedo: false }),
    Collaboration.configure({ document: doc, field: 'content' }),
    CollaborationCaret.configure({ provider, user: { name: 'Measured person', color: '#f783ac' } }),
  ],
});
provider.once('sync', () => (document.body.dataset.synced = 'true'));
