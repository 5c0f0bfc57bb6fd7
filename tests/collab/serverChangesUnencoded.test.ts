import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { skipEncodingServerChanges } from '../../client/src/session/serverChangesUnencoded';

// Issue 17: what the server sends is kept on the device as it came, so Yjs does not encode it
// again for the page's `update` listeners (client/src/session/serverChangesUnencoded.ts).
const SERVER = Symbol('server');

/** An update from another person, as the server relays it. */
function serverWrites(text: string): Uint8Array {
  const other = new Y.Doc();
  other.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(other);
}

/** The page's doc with its listeners: what it hears, and what it keeps of the server's bytes. */
function page() {
  const doc = new Y.Doc();
  const heard: { origin: unknown; update: Uint8Array }[] = [];
  const kept: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array, origin: unknown) => heard.push({ origin, update }));
  const changes = skipEncodingServerChanges(
    doc,
    (origin) => origin === SERVER,
    (update) => kept.push(update),
  );
  /** As the sync guard does: apply, then tell. */
  const receive = (update: Uint8Array) => {
    Y.applyUpdate(doc, update, SERVER);
    changes.applied(update);
  };
  return { doc, heard, kept, changes, receive };
}

it("the page's update listeners hear its own changes, not the server's, also a change made in answer to the server's", () => {
  const { doc, heard, kept, changes, receive } = page();
  const text = doc.getText('t');
  const first = serverWrites('from the server');
  receive(first);
  expect(text.toString()).toBe('from the server');
  expect(heard).toEqual([]);
  expect(kept).toEqual([first]);

  text.insert(0, 'mine: ');
  expect(heard.map((h) => h.origin)).toEqual([null]);

  // An observer answers the server's change with one of its own, in a transaction of its own
  // (cleaned up in the same pass as the server's): that one is heard, whole.
  const answers = doc.getMap('answers');
  text.observe((event) => {
    if (event.transaction.origin === SERVER) doc.transact(() => answers.set('seen', true), 'page');
  });
  receive(serverWrites('more'));
  expect(heard.map((h) => h.origin)).toEqual([null, 'page']);
  // What was kept of the server's, with what the page heard: the page's whole document.
  const replica = new Y.Doc();
  for (const update of [...kept, ...heard.map((h) => h.update)]) Y.applyUpdate(replica, update);
  expect(replica.getMap('answers').toJSON()).toEqual({ seen: true });
  expect(replica.getText('t').toString()).toBe(text.toString());

  // Once stopped, the server's changes are heard again.
  changes.stop();
  Y.applyUpdate(doc, serverWrites('after'), SERVER);
  expect(heard.at(-2)?.origin).toBe(SERVER);
});

it('keeps what the server sent only when it changed the document: not the echo of the page’s own update, nor what it had already', () => {
  const { doc, kept, changes, receive } = page();
  // The page types; the server echoes it once stored.
  let mine: Uint8Array | undefined;
  doc.once('update', (update: Uint8Array) => (mine = update));
  doc.getText('t').insert(0, 'typed here');
  receive(mine!);
  expect(kept).toEqual([]);
  // Someone else's words, then the same bytes again (a reconnect's catch-up).
  const theirs = serverWrites('theirs');
  receive(theirs);
  receive(theirs);
  expect(kept).toEqual([theirs]);

  // Several messages applied in one transaction (a frame's batch): kept together when the batch changed anything.
  const batch = (updates: Uint8Array[]) =>
    doc.transact(() => {
      for (const update of updates) {
        Y.applyUpdate(doc, update, SERVER);
        changes.applied(update);
      }
    }, SERVER);
  batch([theirs, mine!]);
  expect(kept).toEqual([theirs]);
  const later = serverWrites('later');
  batch([theirs, later]);
  expect(kept).toEqual([theirs, theirs, later]);
  expect(doc.getText('t').toString()).toContain('later');
});

it('keeps an update the page cannot apply yet (its dependency missing), which a later one completes', () => {
  const { doc, kept, receive } = page();
  // Another person writes twice; the second change builds on the first.
  const other = new Y.Doc();
  const updates: Uint8Array[] = [];
  other.on('update', (update: Uint8Array) => updates.push(update));
  other.getText('t').insert(0, 'first ');
  other.getText('t').insert(6, 'second');
  // The second arrives first: Yjs holds it as pending, nothing shows yet.
  receive(updates[1]);
  expect(doc.getText('t').toString()).toBe('');
  receive(updates[0]);
  expect(doc.getText('t').toString()).toBe('first second');
  // The device copy is what was kept: it must hold both, as Yjs's own encoding of the second transaction would have.
  const replica = new Y.Doc();
  for (const update of kept) Y.applyUpdate(replica, update);
  expect(replica.getText('t').toString()).toBe('first second');
});
