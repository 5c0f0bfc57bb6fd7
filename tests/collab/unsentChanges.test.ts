import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { UnsentChanges } from '../../client/src/session/unsentChanges';

const SERVER = Symbol('provider');

/** A page's document and a server's copy, with the page's count of changes the server has not confirmed. */
function pageAndServer() {
  const page = new Y.Doc();
  const server = new Y.Doc();
  const unsent = new UnsentChanges(page, (origin) => origin === SERVER);
  /** The server stores what the page has and sends it back (the echo), as the relay does. */
  const echo = () => {
    const update = Y.encodeStateAsUpdate(page, Y.encodeStateVector(server));
    Y.applyUpdate(server, update);
    Y.applyUpdate(page, update, SERVER);
    unsent.serverUpdate(update);
  };
  /** Someone else's edit, relayed by the server. */
  const othersEdit = (text: string) => {
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(server));
    const before = Y.encodeStateVector(other);
    other.getText('t').insert(0, text);
    const update = Y.encodeStateAsUpdate(other, before);
    Y.applyUpdate(server, update);
    Y.applyUpdate(page, update, SERVER);
    unsent.serverUpdate(update);
  };
  return { page, unsent, echo, othersEdit };
}

it('counts local changes until the server echoes them, whatever others send meanwhile', () => {
  const { page, unsent, echo, othersEdit } = pageAndServer();
  othersEdit('Their opening words. ');
  expect(unsent.summary.count).toBe(0);

  page.getText('t').insert(0, 'Mine. ');
  page.getText('t').insert(0, 'Mine again. ');
  expect(unsent.summary.count).toBe(2);
  othersEdit('Theirs, while mine wait. ');
  expect(unsent.summary.count).toBe(2);
  echo();
  expect(unsent.summary).toEqual({ count: 0, since: undefined });

  // A deletion of someone else's words is confirmed only by a server message carrying it.
  othersEdit('Words to strike. ');
  page.getText('t').delete(0, 6);
  expect(unsent.summary.count).toBe(1);
  othersEdit('More of theirs. ');
  expect(unsent.summary.count).toBe(1);
  echo();
  expect(unsent.summary.count).toBe(0);
});
