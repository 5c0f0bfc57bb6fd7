import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { skipEncodingServerChanges } from '../../client/src/session/serverChangesUnencoded';

// Issue 17: what the server sends is kept on the device as it came, so Yjs does not encode it
// again for the page's `update` listeners (client/src/session/serverChangesUnencoded.ts).
const SERVER = Symbol('server');

const sent: Uint8Array[] = [];
/** An update from another person, as the server relays it. */
function serverWrites(text: string): Uint8Array {
  const other = new Y.Doc();
  other.getText('t').insert(0, text);
  sent.push(Y.encodeStateAsUpdate(other));
  return sent.at(-1)!;
}

it("the page's update listeners hear its own changes, not the server's, also a change made in answer to the server's", () => {
  const doc = new Y.Doc();
  const heard: { origin: unknown; update: Uint8Array }[] = [];
  doc.on('update', (update: Uint8Array, origin: unknown) => heard.push({ origin, update }));
  const stop = skipEncodingServerChanges(doc, (origin) => origin === SERVER);
  const text = doc.getText('t');

  Y.applyUpdate(doc, serverWrites('from the server'), SERVER);
  expect(text.toString()).toBe('from the server');
  expect(heard).toEqual([]);

  text.insert(0, 'mine: ');
  expect(heard.map((h) => h.origin)).toEqual([null]);

  // An observer answers the server's change with one of its own, in a transaction of its own
  // (cleaned up in the same pass as the server's): that one is heard, whole.
  const answers = doc.getMap('answers');
  const answer = () => doc.transact(() => answers.set('seen', true), 'page');
  text.observe((event) => {
    if (event.transaction.origin === SERVER) answer();
  });
  Y.applyUpdate(doc, serverWrites('more'), SERVER);
  expect(heard.map((h) => h.origin)).toEqual([null, 'page']);
  // What the server sent, kept as it came, with what the page heard: the page's whole document.
  const replica = new Y.Doc();
  for (const update of [...sent, ...heard.map((h) => h.update)]) Y.applyUpdate(replica, update);
  expect(replica.getMap('answers').toJSON()).toEqual({ seen: true });
  expect(replica.getText('t').toString()).toBe(text.toString());

  // Listeners added and removed later work as before; once stopped, the server's changes are heard again.
  const later: unknown[] = [];
  const listener = (_update: Uint8Array, origin: unknown) => later.push(origin);
  doc.on('update', listener);
  Y.applyUpdate(doc, serverWrites('again'), SERVER);
  text.insert(0, 'x');
  expect(later).toEqual(['page', null]);
  stop();
  Y.applyUpdate(doc, serverWrites('after'), SERVER);
  expect(later).toEqual(['page', null, SERVER, 'page']);
  doc.off('update', listener);
  expect(heard.at(-2)?.origin).toBe(SERVER);
});
