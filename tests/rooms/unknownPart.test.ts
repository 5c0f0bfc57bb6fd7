import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { knownStateOf, measureForRoom, unknownPart } from '../../server/src/rooms/guards/unknownPart';
import { DEFAULT_UPDATE_LIMITS } from '../../server/src/rooms/guards/limits';
import { measureUpdate } from '../../server/src/rooms/guards/updateCost';

// A client that already has the text answers the server's sync request with its whole delete set;
// the server limits and charges only the part of an update that its room lacks.

function text(doc: Y.Doc): Y.Text {
  return doc.getText('t');
}

/** A room and a client holding the same text, with `deleted` scattered deletions made before they parted. */
function twoCopies(deleted: number): { room: Y.Doc; client: Y.Doc } {
  const room = new Y.Doc();
  text(room).insert(0, 'abcdefghij'.repeat(200));
  for (let i = 0; i < deleted; i++) text(room).delete(i + 1, 1); // every other character of the first 2*deleted
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(room));
  return { room, client };
}

/** Applying the part gives the room exactly what applying the whole update would. */
function expectSameEffect(room: Y.Doc, update: Uint8Array, part: Uint8Array): void {
  const whole = new Y.Doc();
  Y.applyUpdate(whole, Y.encodeStateAsUpdate(room));
  Y.applyUpdate(whole, update);
  const cut = new Y.Doc();
  Y.applyUpdate(cut, Y.encodeStateAsUpdate(room));
  Y.applyUpdate(cut, part);
  expect(text(cut).toString()).toBe(text(whole).toString());
  expect(Y.encodeStateAsUpdate(cut)).toEqual(Y.encodeStateAsUpdate(whole));
}

describe('unknownPart', () => {
  it('leaves nothing of an answer that holds only what the room has', () => {
    const { room, client } = twoCopies(300);
    const answer = Y.encodeStateAsUpdate(client, Y.encodeStateVector(room));
    expect(measureUpdate(answer).deleteRanges).toBe(300);
    const part = unknownPart(answer, knownStateOf(room));
    expect(measureUpdate(part)).toEqual({ structs: 0, deleteRanges: 0, inserted: 0 });
    expectSameEffect(room, answer, part);
  });

  it("keeps the client's new text and new deletions, and drops what the room already deleted", () => {
    const { room, client } = twoCopies(300);
    text(client).insert(0, 'New opening. ');
    for (let i = 0; i < 20; i++) text(client).delete(1000 + i * 3, 1);
    const answer = Y.encodeStateAsUpdate(client, Y.encodeStateVector(room));
    expect(measureUpdate(answer).deleteRanges).toBeGreaterThan(300);
    const part = unknownPart(answer, knownStateOf(room));
    const cost = measureUpdate(part);
    expect(cost.structs).toBe(1);
    expect(cost.deleteRanges).toBe(20);
    expectSameEffect(room, answer, part);
  });

  it('keeps the part of a range the room has not deleted, and deletions of text it has not received', () => {
    const room = new Y.Doc();
    text(room).insert(0, 'abcdefghij');
    text(room).delete(2, 3); // cde
    const client = new Y.Doc();
    Y.applyUpdate(client, Y.encodeStateAsUpdate(room));
    text(client).delete(1, 4); // b, f, g, h: one range of the original b..h with cde already gone
    const later = new Y.Doc();
    Y.applyUpdate(later, Y.encodeStateAsUpdate(client));
    text(later).insert(0, 'xyz');
    text(later).delete(0, 2); // deletes text the room never saw
    const answer = Y.encodeStateAsUpdate(later, Y.encodeStateVector(room));
    const part = unknownPart(answer, knownStateOf(room));
    expectSameEffect(room, answer, part);
    const { ds } = Y.decodeUpdate(part);
    const ranges = [...ds.clients.values()].flat().map(({ clock, len }) => [clock, len]);
    expect(ranges).toContainEqual([1, 1]); // b, in front of the room's cde
    expect(ranges).toContainEqual([5, 3]); // fgh, after it
    expect(measureUpdate(part).deleteRanges).toBe(3);
  });

  it('takes delete ranges sent twice or out of order (as a hand-made client may) as the whole update would', () => {
    const room = new Y.Doc();
    text(room).insert(0, 'abcdefghijklmnop');
    text(room).delete(0, 2); // ab
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0); // no structs
    encoding.writeVarUint(encoder, 1); // one client in the delete set
    encoding.writeVarUint(encoder, room.clientID);
    const ranges = [
      [10, 2],
      [0, 3],
      [10, 2],
    ];
    encoding.writeVarUint(encoder, ranges.length);
    for (const [clock, len] of ranges) {
      encoding.writeVarUint(encoder, clock);
      encoding.writeVarUint(encoder, len);
    }
    const update = encoding.toUint8Array(encoder);
    const part = unknownPart(update, knownStateOf(room));
    expectSameEffect(room, update, part);
    expect([...Y.decodeUpdate(part).ds.clients.values()].flat().map(({ clock, len }) => [clock, len])).toEqual([
      [10, 2],
      [2, 1],
      [10, 2],
    ]);
  });

  it('measureForRoom cuts an update over the limits only when what the room lacks is within them', () => {
    const limits = { ...DEFAULT_UPDATE_LIMITS, maxDeleteRanges: 100 };
    const { room, client } = twoCopies(300);
    const answer = Y.encodeStateAsUpdate(client, Y.encodeStateVector(room));
    expect(measureForRoom(answer, undefined, limits)).toEqual({ cost: measureUpdate(answer), update: answer, cut: false });
    const known = measureForRoom(answer, knownStateOf(room), limits);
    expect(known.cut).toBe(true);
    expect(known.cost.deleteRanges).toBe(0);

    for (let i = 0; i < 150; i++) text(client).delete(1000 + i * 3, 1);
    const more = Y.encodeStateAsUpdate(client, Y.encodeStateVector(room));
    const over = measureForRoom(more, knownStateOf(room), limits);
    expect(over.cut).toBe(false);
    expect(over.update).toBe(more);
    expect(over.cost.deleteRanges).toBe(150);
  });
});
