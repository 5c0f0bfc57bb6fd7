import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { changesSince } from '../../server/src/rooms/changesSince';
import { longAgreement, paragraphTexts, reword, writeDocument } from '../support/document';

// A newcomer's answer after a correction carried the text's whole delete set again beside the kept
// state (Y.encodeStateAsUpdate with a state vector always writes all of it): 78 KB more a newcomer on
// 40 pages reworded for months, and a walk over every struct of the text to make it.

/** A room's text reworded for months, the state a newcomer is kept, and two typists' changes since (one corrected). */
function rewordedRoomAndChanges(): { room: Y.Doc; kept: Uint8Array } {
  const room = new Y.Doc();
  writeDocument(room, longAgreement(4));
  reword(room, 3);
  const kept = Y.encodeStateAsUpdate(room);
  for (const [clientID, at] of [
    [41, 0],
    [42, 3],
  ]) {
    const typist = new Y.Doc();
    typist.clientID = clientID;
    Y.applyUpdate(typist, Y.encodeStateAsUpdate(room));
    const text = paragraphTexts(typist, 100)[at];
    const apply = (change: () => void) => {
      const before = Y.encodeStateVector(room);
      change();
      Y.applyUpdate(room, Y.encodeStateAsUpdate(typist, before));
    };
    apply(() => text.insert(5, 'Our floor is 3%. '));
    apply(() => text.insert(0, 'Agreed: '));
    apply(() => text.delete(5 + 'Agreed: '.length, 'Our floor is 3%. '.length));
  }
  return { room, kept };
}

it('holds what changed since a state with only those changes’ deletions, and a holder of that state ends where the room is', () => {
  const { room, kept } = rewordedRoomAndChanges();
  const vector = Y.encodeStateVectorFromUpdate(kept);
  const since = changesSince(room, vector);
  const yjsSince = Y.encodeStateAsUpdate(room, vector);

  const newcomer = new Y.Doc();
  Y.applyUpdate(newcomer, kept);
  Y.applyUpdate(newcomer, since);
  expect(newcomer.getXmlFragment('content').toString()).toBe(room.getXmlFragment('content').toString());
  expect(Y.encodeStateVector(newcomer)).toEqual(Y.encodeStateVector(room));
  expect(Y.equalDeleteSets(Y.createDeleteSetFromStructStore(newcomer.store), Y.createDeleteSetFromStructStore(room.store))).toBe(true);

  // The same structs as Yjs writes; of the delete set, only the corrections' runs.
  expect(Y.decodeUpdate(since).structs).toEqual(Y.decodeUpdate(yjsSince).structs);
  const deletions = Y.decodeUpdate(since).ds.clients;
  expect([...deletions.keys()].sort()).toEqual([41, 42]);
  expect([...deletions.values()].map((runs) => runs.length)).toEqual([1, 1]);
  expect(since.length).toBeLessThan(yjsSince.length / 10);
  expect(Buffer.from(since).toString('utf8')).not.toContain('Our floor');
});

it('holds everything for a reader holding nothing, and nothing for one holding all', () => {
  const { room } = rewordedRoomAndChanges();
  const all = new Y.Doc();
  Y.applyUpdate(all, changesSince(room, Y.encodeStateVector(new Y.Doc())));
  expect(all.getXmlFragment('content').toString()).toBe(room.getXmlFragment('content').toString());
  expect(Y.decodeUpdate(changesSince(room, Y.encodeStateVector(room)))).toMatchObject({ structs: [] });
  expect(Y.decodeUpdate(changesSince(room, Y.encodeStateVector(room))).ds.clients.size).toBe(0);
});
