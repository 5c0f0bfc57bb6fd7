import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as prng from 'lib0/prng';
import { structWeight, textTally } from '../../server/src/rooms/guards/textTally';

import { contentString, rawSocket, synced } from '../support/clients';
import { createAgreement } from '../support/server';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { storedContent } from '../support/stored';
import { updateFrame } from './support/payloads';

// The text's size cap refuses insertions once the agreement's text is at it. It counted every
// item the text ever had, read from the clocks of its writers: one hand-made update of a few
// bytes (a "garbage collected" range, which inserts nothing) moved a clock past the cap, and
// from then on nobody could type in that agreement again.
const harness = useHarness();

/** A Yjs v1 update holding one garbage-collected range of `length` items for `client` from clock 0. */
function gcRange(client: number, length: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1); // one client
  encoding.writeVarUint(e, 1); // one struct
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, 0); // from clock 0
  encoding.writeUint8(e, 0); // a GC struct
  encoding.writeVarUint(e, length);
  encoding.writeVarUint(e, 0); // no delete set
  return encoding.toUint8Array(e);
}

describe("the agreement text's size cap", () => {
  it('a hand-made range of a billion collected items leaves everyone able to type', async () => {
    const s = await harness.start();
    const f = await createAgreement(s);
    const room = f.agreement.id;
    const mallory = await f.invite({ role: 'negotiator', name: 'Mallory', party: f.ngoId });
    const lena = harness.connect(s, room, await f.invite({ role: 'negotiator', name: 'Lena', party: f.businessId }));
    await synced(lena);
    lena.text.insert(0, 'Clause 1.');
    await waitFor(() => contentString(lena.doc).includes('Clause 1.') && s.app.ctx.rooms.with(room, (r) => contentString(r.doc).includes('Clause 1.')), {
      what: 'the first clause at the server',
    });

    const { socket } = await rawSocket(`${s.ws}/${room}?token=${mallory}`);
    socket.send(updateFrame(gcRange(424242, 1_000_000_000)));
    // Whatever the server made of it, Lena goes on typing and her words are kept.
    lena.text.insert(lena.text.length, ' Clause 2: the river.');
    await waitFor(async () => (await storedContent(s, room)).text.includes('Clause 2: the river.'), { timeoutMs: 10_000, what: "Lena's next words stored" });
    socket.close();
  });

  it('a text filled to its cap by one person takes no more insertions; once another deletes what was pasted, offline even, they type again', async () => {
    const s = await harness.start({ updateLimits: { maxDocumentItems: 5_000 } });
    const f = await createAgreement(s);
    const room = f.agreement.id;
    const mallory = harness.connect(s, room, await f.invite({ role: 'negotiator', name: 'Mallory', party: f.ngoId }));
    const lena = harness.connect(s, room, await f.invite({ role: 'negotiator', name: 'Lena', party: f.businessId }));
    await synced(mallory);
    await synced(lena);
    lena.text.insert(0, 'Clause 1. ');
    await waitFor(() => contentString(mallory.doc).includes('Clause 1. '), { what: "Lena's clause at Mallory" });
    mallory.text.insert(mallory.text.length, 'x'.repeat(4_980));
    await waitFor(() => contentString(lena.doc).includes('x'.repeat(4_980)), { what: "Mallory's paste at Lena" });
    mallory.text.insert(mallory.text.length, 'y'.repeat(100));
    // Refused: Mallory's connection is closed and her last paste is nowhere else.
    await waitFor(() => !mallory.provider.wsconnected, { what: "Mallory's connection closed" });
    mallory.destroy();
    expect((await storedContent(s, room)).text).not.toContain('y');

    // Lena, offline for a moment, deletes the pasted run and writes on; back online her changes
    // arrive as one update that deletes more than it inserts, and are let in.
    lena.provider.disconnect();
    const shown = lena.text.toString();
    lena.text.delete(shown.indexOf('x'), 4_980);
    lena.text.insert(lena.text.length, ' Clause 2: the river.');
    lena.provider.connect();
    await waitFor(async () => (await storedContent(s, room)).text.includes('Clause 2: the river.'), { timeoutMs: 10_000, what: "Lena's clause stored" });
    expect((await storedContent(s, room)).text).not.toContain('x');
  });
});

/** The tally counted afresh: live items at their length, every deleted or collected struct one. */
function walked(doc: Y.Doc): number {
  let value = 0;
  for (const structs of doc.store.clients.values()) for (const struct of structs) value += structWeight(struct);
  return value;
}

describe('the text tally', () => {
  it('follows random edits of three writers: never under what the text holds, and exact once loaded afresh', () => {
    const gen = prng.create(17);
    const docs = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
    const server = new Y.Doc();
    textTally(server);
    let deletions = 0;
    for (let step = 0; step < 400; step++) {
      const doc = docs[prng.uint32(gen, 0, 2)];
      const text = doc.getText('t');
      const length = text.length;
      const roll = prng.uint32(gen, 0, 9);
      if (roll < 5 || length < 10) text.insert(prng.uint32(gen, 0, length), prng.word(gen, 1, 30));
      else if (roll < 8) {
        const at = prng.uint32(gen, 0, length - 1);
        text.delete(at, prng.uint32(gen, 1, Math.min(40, length - at)));
        deletions++;
      } else text.format(prng.uint32(gen, 0, length - 1), 3, { bold: true });
      // Each writer's changes reach the server; the server's state reaches the writers.
      Y.applyUpdate(server, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(server)));
      for (const other of docs) Y.applyUpdate(other, Y.encodeStateAsUpdate(server, Y.encodeStateVector(other)));
      const tally = textTally(server);
      const truth = walked(server);
      expect(tally, `step ${step}`).toBeGreaterThanOrEqual(truth);
      // Yjs merges deleted neighbours later: the tally still counts them apart, one per deletion at most.
      expect(tally - truth, `step ${step}`).toBeLessThanOrEqual(deletions * 2);
    }
    const afresh = new Y.Doc();
    Y.applyUpdate(afresh, Y.encodeStateAsUpdate(server));
    expect(textTally(afresh)).toBe(walked(afresh));
    // Deleting brings it down: the whole text deleted leaves about one per struct.
    const before = textTally(server);
    const live = server.getText('t').length;
    server.getText('t').delete(0, live);
    expect(textTally(server)).toBeLessThan(before - live / 2);
  });
});
