import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { causalPieces } from '#shared/causalPieces';
import { splitUpdate } from '#shared/splitUpdate';

/**
 * A text written by one person and reworded in turns by three, each seeing the others' edits
 * before making their own (so their changes hang on each other's), with a block's attributes
 * and a map beside it: what months of negotiation leave in a room's stored state.
 */
function negotiatedText(): Y.Doc {
  const people = [1, 2, 3].map((client) => {
    const doc = new Y.Doc();
    doc.clientID = client * 1000;
    return doc;
  });
  const sync = () => {
    for (const from of people) for (const to of people) if (from !== to) Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)));
  };
  const [writer] = people;
  const fragment = writer.getXmlFragment('content');
  for (let p = 0; p < 40; p++) {
    const block = new Y.XmlElement('paragraph');
    block.setAttribute('id', `p${p}`);
    block.insert(0, [new Y.XmlText(`Paragraph ${p}: the parties agree to review the work plan every quarter and to share the costs.`)]);
    fragment.insert(fragment.length, [block]);
  }
  writer.getMap('meta').set('title', 'River basin partnership');
  sync();
  let seed = 7;
  const random = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  for (let round = 0; round < 12; round++) {
    const person = people[round % 3];
    const blocks = person.getXmlFragment('content').toArray() as Y.XmlElement[];
    for (const block of blocks) {
      const text = block.get(0) as Y.XmlText;
      for (let edit = 0; edit < 3; edit++) {
        const at = random(text.length - 6);
        text.delete(at, 1 + random(5));
        text.insert(at, ['shall', 'may', 'jointly', 'each year'][random(4)]);
      }
      if (round % 4 === 0) block.setAttribute('id', `p-${round}-${random(1000)}`);
    }
    if (round % 5 === 0) person.getXmlFragment('content').delete(random(blocks.length), 1);
    person.getMap('meta').set('round', round);
    sync();
  }
  return writer;
}

let built: Y.Doc | undefined;
/** Built once: both tests below read it only. */
const negotiated = () => (built ??= negotiatedText());

function pending(doc: Y.Doc): boolean {
  return doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
}

it('cuts a stored state into pieces of a bounded size that apply in order, none waiting for a later one, to the same document', () => {
  const source = negotiated();
  const state = Y.encodeStateAsUpdate(source);
  const pieces = causalPieces(state, 200, 300);

  expect(pieces.length).toBeGreaterThan(10);
  for (const piece of pieces) {
    const { structs, ds } = Y.decodeUpdate(piece);
    expect(structs.length).toBeLessThanOrEqual(200);
    expect([...ds.clients.values()].reduce((n, ranges) => n + ranges.length, 0)).toBeLessThanOrEqual(300);
  }
  const doc = new Y.Doc();
  pieces.forEach((piece, i) => {
    Y.applyUpdate(doc, piece);
    expect(pending(doc), `after piece ${i}`).toBe(false);
  });
  expect(Y.encodeStateVector(doc)).toEqual(Y.encodeStateVector(source));
  expect(doc.getXmlFragment('content').toString()).toBe(source.getXmlFragment('content').toString());
  expect(doc.getMap('meta').toJSON()).toEqual(source.getMap('meta').toJSON());
  expect(Y.encodeStateAsUpdate(doc)).toEqual(state);
});

it('pieces are updates as Yjs writes them: merged in any run of consecutive ones (as the device copy does), they give the same document', () => {
  const source = negotiated();
  const pieces = causalPieces(Y.encodeStateAsUpdate(source), 200, 300);
  for (let size = 2; size <= 4; size++) {
    const doc = new Y.Doc();
    for (let at = 0; at < pieces.length; at += size) Y.applyUpdate(doc, Y.mergeUpdates(pieces.slice(at, at + size)));
    expect(pending(doc), `merged ${size} at a time`).toBe(false);
    expect(Y.encodeStateVector(doc), `merged ${size} at a time`).toEqual(Y.encodeStateVector(source));
  }
  // Each lists its writers highest first, as Yjs does: Y.mergeUpdates relies on that order.
  for (const piece of pieces) {
    const clients = Y.decodeUpdate(piece).structs.map((struct) => struct.id.client);
    expect(clients).toEqual([...clients].sort((a, b) => b - a));
  }
});

it('the order matters: cut in the update’s own order (by client), some pieces wait for later ones', () => {
  const state = Y.encodeStateAsUpdate(negotiated());
  const doc = new Y.Doc();
  let waited = false;
  for (const piece of splitUpdate(state, 2_000)) {
    Y.applyUpdate(doc, piece);
    waited ||= pending(doc);
  }
  expect(waited).toBe(true);
});

it('returns an update with nothing to cut as one piece plus its deletions, and an empty one as nothing', () => {
  const doc = new Y.Doc();
  doc.getText('t').insert(0, 'Short.');
  doc.getText('t').delete(0, 1);
  const pieces = causalPieces(Y.encodeStateAsUpdate(doc), 200);
  expect(pieces).toHaveLength(2);
  const copy = new Y.Doc();
  for (const piece of pieces) Y.applyUpdate(copy, piece);
  expect(copy.getText('t').toString()).toBe('hort.');
  expect(causalPieces(Y.encodeStateAsUpdate(new Y.Doc()), 200)).toEqual([]);
});

it('gives up cutting, and returns the update whole, for a state made to need a pass per struct (a chain through thousands of writers)', () => {
  // Each writer types one letter after the previous writer's, with client ids rising along the
  // chain: the update lists clients from the highest id down, so each pass can place one letter.
  const doc = new Y.Doc();
  const text = doc.getText('t');
  for (let i = 0; i < 3000; i++) {
    doc.clientID = 10_000 + i;
    text.insert(i, 'x');
  }
  const state = Y.encodeStateAsUpdate(doc);
  const pieces = causalPieces(state, 200);
  expect(pieces).toEqual([state]);
  // A short chain is cut as usual.
  const short = new Y.Doc();
  for (let i = 0; i < 300; i++) {
    short.clientID = 10_000 + i;
    short.getText('t').insert(i, 'x');
  }
  const shortPieces = causalPieces(Y.encodeStateAsUpdate(short), 50);
  expect(shortPieces.length).toBeGreaterThan(1);
  const copy = new Y.Doc();
  for (const piece of shortPieces) {
    Y.applyUpdate(copy, piece);
    expect(pending(copy)).toBe(false);
  }
  expect(copy.getText('t').toString()).toBe('x'.repeat(300));
});
