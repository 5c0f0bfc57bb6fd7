import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { writeVarUint } from 'lib0/encoding';
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

it('confirms many scattered deletions, each only by a received range that holds all of it', () => {
  const { page, unsent, echo, othersEdit } = pageAndServer();
  othersEdit('x'.repeat(4000));
  // 400 separate deletions of others' words (a text reworded for months holds tens of thousands).
  page.transact(() => {
    for (let at = 3990; at >= 0; at -= 10) page.getText('t').delete(at, 3);
  });
  expect(unsent.summary.count).toBe(1);
  // A server message carrying only some of the deletions confirms nothing yet.
  const { ds } = Y.decodeUpdate(Y.encodeStateAsUpdate(page));
  const [client, ranges] = [...(ds.clients as Map<number, { clock: number; len: number }[]>)][0];
  expect(ranges.length).toBeGreaterThanOrEqual(400);
  const encoder = new Y.UpdateEncoderV1();
  // An update with no structs and the first half of the delete set, written out by hand.
  const half = ranges.slice(0, ranges.length / 2);
  const lib0 = encoder.restEncoder;
  writeVarUint(lib0, 0);
  writeVarUint(lib0, 1);
  writeVarUint(lib0, client);
  writeVarUint(lib0, half.length);
  for (const range of half) {
    writeVarUint(lib0, range.clock);
    writeVarUint(lib0, range.len);
  }
  unsent.serverUpdate(encoder.toUint8Array());
  expect(unsent.summary.count).toBe(1);
  echo();
  expect(unsent.summary.count).toBe(0);
});
