import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { KeptDeletions } from '../../server/src/rooms/keptDeletions';
import { catchUp } from '../../server/src/rooms/changesSince';
import { longAgreement, paragraphTexts, reword, writeDocument } from '../support/document';

// A returning visitor's answer carries the text's whole delete set, and Yjs makes it anew from
// every struct each time. The room keeps it instead, extended as transactions delete: it must
// stay exactly what Yjs would write, through every way a deletion reaches a room.

/** Yjs's own answer for a peer holding everything: no struct, and the delete set read from every struct. */
const yjsDeletions = (doc: Y.Doc) => Y.encodeStateAsUpdate(doc, Y.encodeStateVector(doc));

it('stays byte for byte the delete set Yjs reads from every struct, through typing, corrections, removed paragraphs and pages synced back', () => {
  const room = new Y.Doc();
  writeDocument(room, longAgreement(3));
  reword(room, 2);
  const kept = new KeptDeletions(room);
  expect(kept.asUpdate()).toEqual(yjsDeletions(room));

  let seed = 7;
  const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  const pages = [1, 2, 3].map((clientID) => {
    const page = new Y.Doc();
    page.clientID = clientID;
    Y.applyUpdate(page, Y.encodeStateAsUpdate(room));
    // Live pages send each change as it is made; one page is offline and syncs back later.
    if (clientID !== 3) page.on('update', (update: Uint8Array) => Y.applyUpdate(room, update));
    return page;
  });
  const checkpoints: Uint8Array[] = [Y.encodeStateVector(room)];
  for (let step = 0; step < 300; step++) {
    const page = pages[random(3)];
    const texts = paragraphTexts(page, 20);
    const text = texts[random(texts.length)];
    const fragment = page.getXmlFragment('content');
    switch (random(6)) {
      case 0:
      case 1:
        text.insert(random(text.length), 'jointly ');
        break;
      case 2:
        text.delete(random(text.length - 10), 1 + random(8));
        break;
      case 3:
        // Typed and taken back in one transaction: the item arrives already deleted.
        page.transact(() => {
          text.insert(0, 'oops ');
          text.delete(0, 5);
        });
        break;
      case 4: {
        // A paragraph written, then removed: its words are collected (structs deleted by their kind).
        const aside = new Y.XmlElement('paragraph');
        aside.insert(0, [new Y.XmlText('An aside, soon removed.')]);
        fragment.insert(2, [aside]);
        fragment.delete(2, 1);
        break;
      }
      default:
        fragment.delete(random(fragment.length - 1), 1);
    }
    // The room's own writes (a restore, a suggestion accepted) delete too.
    if (step % 50 === 25) paragraphTexts(room, 20)[0].delete(0, 3);
    // The offline page comes back now and then, as a returning visitor's answer would.
    if (step % 40 === 39) Y.applyUpdate(room, Y.encodeStateAsUpdate(pages[2], Y.encodeStateVector(room)));
    if (step % 7 === 0) {
      expect(kept.asUpdate()).toEqual(yjsDeletions(room));
      checkpoints.push(Y.encodeStateVector(room));
    }
  }
  Y.applyUpdate(room, Y.encodeStateAsUpdate(pages[2], Y.encodeStateVector(room)));
  expect(kept.asUpdate()).toEqual(yjsDeletions(room));

  // A visitor at any earlier state is answered exactly what Yjs would answer it, and ends where the room is.
  for (const vector of [...checkpoints, new Uint8Array([0])]) {
    const answer = catchUp(room, vector, () => kept.encoded());
    expect(answer).toEqual(Y.encodeStateAsUpdate(room, vector));
  }
  kept.destroy();
});

it('made as a room loads, between yields (structWalk.test.ts): the same bytes as Yjs, and it follows deletions after', async () => {
  const source = new Y.Doc();
  writeDocument(source, longAgreement(20));
  reword(source, 3);
  const room = new Y.Doc();
  Y.applyUpdate(room, Y.encodeStateAsUpdate(source));
  const kept = await KeptDeletions.inSlices(room);
  expect(kept.asUpdate()).toEqual(yjsDeletions(room));
  paragraphTexts(room, 20)[3].delete(2, 7);
  expect(kept.asUpdate()).toEqual(yjsDeletions(room));
  kept.destroy();
});

it('made from a doc that changes while it is walked: still the delete set Yjs reads from every struct', async () => {
  const room = new Y.Doc();
  writeDocument(room, longAgreement(20));
  reword(room, 3);
  const making = KeptDeletions.inSlices(room);
  paragraphTexts(room, 20)[1].delete(0, 4);
  const kept = await making;
  paragraphTexts(room, 20)[2].delete(1, 3);
  expect(kept.asUpdate()).toEqual(yjsDeletions(room));
  kept.destroy();
});
