import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as prng from 'lib0/prng';
import { countTallyInSlices, structWeight, textTally } from '../../server/src/rooms/guards/textTally';
import { MAX_WRITERS_PER_PERSON } from '../../server/src/rooms/guards/textWriters';

import { contentString, paragraphText, rawSocket, synced } from '../support/clients';
import { longAgreement, reword, writeDocument } from '../support/document';
import { createAgreement } from '../support/server';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { storedContent } from '../support/stored';
import { refusalsTo, updateFrame } from './support/payloads';
import { malloryAndTwo } from './support/people';

// The text's size cap refuses insertions once the agreement's text is at it. It counted every
// item the text ever had, read from the clocks of its writers: one hand-made update of a few
// bytes (a "garbage collected" range, which inserts nothing) moved a clock past the cap, and
// from then on nobody could type in that agreement again.
const harness = useHarness();

/** A Yjs v1 update holding, for each of `clients`, one garbage-collected range of `length` items from clock 0. */
function gcRanges(clients: number[], length: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, clients.length);
  for (const client of clients) {
    encoding.writeVarUint(e, 1); // one struct
    encoding.writeVarUint(e, client);
    encoding.writeVarUint(e, 0); // from clock 0
    encoding.writeUint8(e, 0); // a GC struct
    encoding.writeVarUint(e, length);
  }
  encoding.writeVarUint(e, 0); // no delete set
  return encoding.toUint8Array(e);
}

describe("the agreement text's size cap", () => {
  it('a hand-made range of a billion collected items leaves everyone able to type', async () => {
    const { s, room, mallory, lena } = await malloryAndTwo(harness);
    const { socket } = await rawSocket(`${s.ws}/${room}?token=${mallory}`);
    socket.send(updateFrame(gcRanges([424242], 1_000_000_000)));
    // Whatever the server made of it, Lena goes on typing and her words are kept.
    lena.text.insert(lena.text.length, ' Clause 2: the river.');
    await waitFor(async () => (await storedContent(s, room)).text.includes('Clause 2: the river.'), { timeoutMs: 10_000, what: "Lena's next words stored" });
    socket.close();
  });

  it('a text at its cap takes no more insertions; once someone deletes what filled it, offline even, they type again', async () => {
    const s = await harness.start({ updateLimits: { maxDocumentItems: 5_000 } });
    const f = await createAgreement(s);
    const room = f.agreement.id;
    const lena = harness.connect(s, room, await f.invite({ role: 'negotiator', name: 'Lena', party: f.businessId }));
    await synced(lena);
    const lenaRefusals = refusalsTo(lena);
    lena.text.insert(0, 'Clause 1. ');
    await waitFor(() => s.app.ctx.rooms.with(room, (r) => contentString(r.doc).includes('Clause 1. ')), { what: "Lena's clause at the server" });
    // Filled by the server (a restore, say), so that no one person's share is what refuses.
    await s.app.ctx.rooms.with(room, (r) => paragraphText(r.doc).insert(10, 'x'.repeat(4_980)));
    await waitFor(() => contentString(lena.doc).includes('x'.repeat(4_980)), { what: 'the filling at Lena' });
    lena.text.insert(lena.text.length, 'y'.repeat(100));
    // Refused, and she is told why; the connection stays.
    await waitFor(() => lenaRefusals.some((reason) => /at its size limit/.test(reason)), { what: 'Lena told her change was refused' });
    expect(lena.provider.wsconnected).toBe(true);
    expect((await storedContent(s, room)).text).not.toContain('y');

    // Offline, she deletes the filling and writes on; back online her changes arrive as one update
    // that deletes more than it inserts, and are let in.
    lena.provider.disconnect();
    const shown = lena.text.toString();
    lena.text.delete(shown.indexOf('x'), 4_980);
    lena.text.insert(lena.text.length, ' Clause 2: the river.');
    lena.provider.connect();
    await waitFor(async () => (await storedContent(s, room)).text.includes('Clause 2: the river.'), { timeoutMs: 10_000, what: "Lena's clause stored" });
    expect((await storedContent(s, room)).text).not.toContain('x');
  });

  it("one person may fill a quarter of the text's size; past it their insertions are refused, and the others write on", async () => {
    const s = await harness.start({ updateLimits: { maxDocumentItems: 8_000 } });
    const f = await createAgreement(s);
    const room = f.agreement.id;
    const malloryToken = await f.invite({ role: 'negotiator', name: 'Mallory', party: f.ngoId });
    const mallory = harness.connect(s, room, malloryToken);
    await synced(mallory);
    mallory.text.insert(0, 'x'.repeat(1_900));
    await waitFor(async () => (await storedContent(s, room)).text.includes('x'.repeat(1_900)), { what: "Mallory's first paste stored" });
    // Back later with a new page (a new client id), her paste made before it connects: it is the
    // first update of a room loaded afresh, and her earlier writing still counts as hers.
    mallory.destroy();
    await waitFor(() => !s.app.ctx.rooms.openRoomNames().includes(room), { what: 'the room unloaded' });
    const again = harness.connect(s, room, malloryToken, { connect: false });
    const told = refusalsTo(again);
    again.text.insert(0, 'y'.repeat(200));
    again.provider.connect();
    await waitFor(() => told.some((reason) => /you have written your share/.test(reason)), { what: 'Mallory told her paste was refused' });
    again.destroy();
    const lena = harness.connect(s, room, await f.invite({ role: 'negotiator', name: 'Lena', party: f.businessId }));
    await synced(lena);
    // Lena writes on, within her own share.
    for (let i = 0; i < 5; i++) lena.text.insert(lena.text.length, `Clause ${i}: ${'z'.repeat(300)}`);
    await waitFor(async () => (await storedContent(s, room)).text.includes('Clause 4: '), { timeoutMs: 10_000, what: "Lena's clauses stored" });
    expect((await storedContent(s, room)).text).not.toContain('y');
  });

  it('one update may bring few new writers (client ids): a hand-made update with 300 is refused, and the text keeps its writers', async () => {
    const { s, room, mallory, lena } = await malloryAndTwo(harness);
    const writers = () => s.app.ctx.rooms.with(room, (r) => r.doc.store.clients.size);
    const before = await writers();

    const { socket, closed } = await rawSocket(`${s.ws}/${room}?token=${mallory}`);
    socket.send(
      updateFrame(
        gcRanges(
          Array.from({ length: 300 }, (_, i) => 1_000_000 + i),
          1,
        ),
      ),
    );
    expect((await closed).reason).toMatch(/new writers/);
    expect(await writers()).toBe(before);
    lena.text.insert(lena.text.length, ' Clause 2.');
    await waitFor(async () => (await storedContent(s, room)).text.includes('Clause 2.'), { what: "Lena's next words stored" });

    // Sixteen at a time (within one update's allowance), update after update, on one connection: a person's writers have a cap in all.
    const flood = await rawSocket(`${s.ws}/${room}?token=${mallory}`);
    const batches = MAX_WRITERS_PER_PERSON / 16 + 5;
    for (let i = 0; i < batches && flood.socket.readyState === flood.socket.OPEN; i++) {
      flood.socket.send(
        updateFrame(
          gcRanges(
            Array.from({ length: 16 }, (_, j) => 2_000_000 + i * 16 + j),
            1,
          ),
        ),
      );
      // Paced under the connection's message budget, so what closes it is the cap, not the rate.
      if (i % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 600));
    }
    const reason = (
      await Promise.race([flood.closed, new Promise<{ reason: string }>((resolve) => setTimeout(() => resolve({ reason: '(still open)' }), 10_000))])
    ).reason;
    expect(reason).toMatch(/writers \(client ids; at most 10000\)/);
    expect(await writers()).toBeLessThanOrEqual(before + MAX_WRITERS_PER_PERSON);
    flood.socket.close();
    lena.text.insert(lena.text.length, ' Clause 3.');
    await waitFor(async () => (await storedContent(s, room)).text.includes('Clause 3.'), { what: "Lena's words after the flood stored" });
  }, 60_000);
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

describe('the text tally counted as a room loads', () => {
  /** 20 pages reworded three times: tens of thousands of structs, live, deleted and collected. */
  function rewordedText(): Y.Doc {
    const doc = new Y.Doc();
    writeDocument(doc, longAgreement(20));
    reword(doc, 3);
    const loaded = new Y.Doc();
    Y.applyUpdate(loaded, Y.encodeStateAsUpdate(doc));
    return loaded;
  }

  it('counts between yields (structWalk.test.ts) exactly what counting at once would, and follows changes after', async () => {
    const doc = rewordedText();
    const truth = walked(doc);
    await countTallyInSlices(doc);
    expect(textTally(doc)).toBe(truth);
    (doc.getXmlFragment('content').get(1) as Y.XmlElement).insert(0, [new Y.XmlText('New words. ')]);
    expect(textTally(doc)).toBeGreaterThanOrEqual(walked(doc));
    expect(textTally(doc)).toBeLessThanOrEqual(walked(doc) + 2);
  });

  // A short text is walked in the first slice, before countTallyInSlices hands back its promise: the
  // tally was kept only after an await, so a change made in between (a CI run) went uncounted.
  it('a change made just after a walk that ended at once is counted', async () => {
    const doc = new Y.Doc();
    writeDocument(doc, longAgreement(1));
    const counting = countTallyInSlices(doc);
    (doc.getXmlFragment('content').get(1) as Y.XmlElement).insert(0, [new Y.XmlText('Meanwhile. ')]);
    await counting;
    expect(textTally(doc)).toBe(walked(doc));
  });

  it('a text changed while it is counted is counted afresh when first asked', async () => {
    const doc = rewordedText();
    const counting = countTallyInSlices(doc);
    (doc.getXmlFragment('content').get(1) as Y.XmlElement).insert(0, [new Y.XmlText('Meanwhile. ')]);
    await counting;
    expect(textTally(doc)).toBe(walked(doc));
  });
});
