import { expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { contentRoom } from '#shared/rooms';
import { causalPieces } from '#shared/causalPieces';
import { MESSAGE_TEXT_STRUCTS } from '#shared/protocol';
import { contentString, countingWebSocket, paragraphText, synced, type TestClient } from '../support/clients';
import { longAgreement, writeDocument } from '../support/document';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { createAgreement, type TestServer } from '../support/server';
import { storedContent, storeText } from '../support/stored';
import { applySyncInPieces, PIECE_STRUCTS, PIECES_FROM_BYTES, PIECES_FROM_STRUCTS } from '../../client/src/session/piecewiseSync';
import { isBindingHeld, onBindingHold } from '../../client/src/session/bindingHold';

// A newcomer's copy over 256 KB was cut into pieces in a worker whatever it held: at 60 pages written
// once (2,000 structs, a few milliseconds to apply whole) the page fetched the worker's 20 KB and waited
// for it before showing the text. The app's client now offers to be told the text's struct count
// first (MESSAGE_TEXT_STRUCTS) and cuts only a copy with many.

const harness = useHarness();

interface Reader {
  client: TestClient;
  cuts: number;
  /** Large copies applied (cut or held whole): the page then notes it holds a large copy. */
  large: number;
  /** The message type of every frame the reader's sockets received, in order. */
  types: () => number[];
}

/** A client as the page makes it (the page's piecewise apply installed), offering what `options` says. */
function read(s: TestServer, room: string, token: string, options: { deflatedSync?: boolean; textStructs?: boolean; doc?: Y.Doc }): Reader {
  const { counted, Counting } = countingWebSocket({ keepFrames: true });
  const client = harness.connect(s, room, token, { connect: false, webSocket: Counting, ...options });
  if (options.doc) Y.applyUpdate(client.doc, Y.encodeStateAsUpdate(options.doc));
  const reader: Reader = { client, cuts: 0, large: 0, types: () => counted.frames.map((frame) => decoding.readVarUint(decoding.createDecoder(frame))) };
  const pieces = applySyncInPieces(client.provider, {
    cut: async ([update]) => {
      reader.cuts++;
      return causalPieces(update, PIECE_STRUCTS);
    },
    onLarge: () => reader.large++,
  });
  harness.defer(() => pieces.destroy());
  client.provider.connect();
  return reader;
}

const structsOf = (state: Uint8Array) => Y.decodeUpdate(state).structs.length;

it('a newcomer to 60 pages written once is told the text has few structs and applies it whole, without a worker', { timeout: 120_000 }, async () => {
  const s = await harness.start();
  const f = await createAgreement(s);
  const room = contentRoom(f.agreement.id);
  const { doc, state } = await storeText(s, room, longAgreement(60, { objectiveEvery: 2 }));
  expect(state.length).toBeGreaterThan(PIECES_FROM_BYTES);
  expect(structsOf(state)).toBeLessThan(PIECES_FROM_STRUCTS);

  for (const deflatedSync of [false, true]) {
    const reader = read(s, room, f.brokerToken, { deflatedSync, textStructs: true });
    // Applied whole, but with the editor's binding held meanwhile: the editor builds its view of the text once.
    const holds: boolean[] = [];
    harness.defer(onBindingHold(reader.client.doc, () => holds.push(isBindingHeld(reader.client.doc))));
    await synced(reader.client, 60_000);
    expect(contentString(reader.client.doc)).toBe(contentString(doc));
    expect(reader.cuts).toBe(0);
    expect(reader.large).toBe(1);
    expect(holds).toEqual([true, false]);
    expect(isBindingHeld(reader.client.doc)).toBe(false);
    expect(reader.types().filter((type) => type === MESSAGE_TEXT_STRUCTS)).toHaveLength(1);
  }
});

it('a newcomer to a text reworded for months, even a short one, is still given it in pieces', { timeout: 120_000 }, async () => {
  const s = await harness.start();
  for (const [pages, rounds] of [
    [40, 2],
    [10, 3],
  ]) {
    const f = await createAgreement(s);
    const room = contentRoom(f.agreement.id);
    const { doc, state } = await storeText(s, room, longAgreement(pages), rounds);
    expect(structsOf(state)).toBeGreaterThanOrEqual(PIECES_FROM_STRUCTS);
    const reader = read(s, room, f.brokerToken, { deflatedSync: true, textStructs: true });
    await synced(reader.client, 60_000);
    expect(contentString(reader.client.doc)).toBe(contentString(doc));
    expect(reader.cuts, `${pages} pages reworded ${rounds} times, ${state.length} bytes`).toBe(1);
  }
});

it('a returning visitor is told nothing: the whole text says nothing of what it lacks, and its size decides as before', { timeout: 120_000 }, async () => {
  const s = await harness.start();
  const f = await createAgreement(s);
  const room = contentRoom(f.agreement.id);
  const writer = harness.connect(s, room, f.brokerToken);
  await synced(writer);
  paragraphText(writer.doc).insert(0, 'A short start. ');
  const held = new Y.Doc();
  Y.applyUpdate(held, Y.encodeStateAsUpdate(writer.doc));

  // While the visitor was away, 60 pages were written: its answer is all of them, over the size to cut.
  writeDocument(writer.doc, longAgreement(60, { objectiveEvery: 2 }));
  expect(Y.encodeStateAsUpdate(writer.doc, Y.encodeStateVector(held)).length).toBeGreaterThan(PIECES_FROM_BYTES);
  await waitFor(async () => (await storedContent(s, room)).text === contentString(writer.doc), { timeoutMs: 20_000, what: 'the server holding it' });

  const visitor = read(s, room, f.brokerToken, { deflatedSync: true, textStructs: true, doc: held });
  await waitFor(() => visitor.client.provider.synced && contentString(visitor.client.doc) === contentString(writer.doc), {
    timeoutMs: 60_000,
    what: 'the visitor in sync',
  });
  expect(visitor.types()).not.toContain(MESSAGE_TEXT_STRUCTS);
  expect(visitor.cuts).toBe(1);
});

it('the stock provider, which does not offer it, is sent no such message and logs nothing', { timeout: 60_000 }, async () => {
  const s = await harness.start();
  const f = await createAgreement(s);
  const room = contentRoom(f.agreement.id);
  const { doc } = await storeText(s, room, longAgreement(60, { objectiveEvery: 2 }));
  const errors = vi.spyOn(console, 'error');
  harness.defer(() => errors.mockRestore());
  const { counted, Counting } = countingWebSocket({ keepFrames: true });
  const stock = harness.connect(s, room, f.brokerToken, { webSocket: Counting });
  await synced(stock, 60_000);
  expect(contentString(stock.doc)).toBe(contentString(doc));
  expect(counted.frames.map((frame) => frame[0])).not.toContain(MESSAGE_TEXT_STRUCTS);
  expect(errors).not.toHaveBeenCalled();
});
