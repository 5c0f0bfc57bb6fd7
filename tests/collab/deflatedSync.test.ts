import { expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { contentRoom } from '#shared/rooms';
import { causalPieces } from '#shared/causalPieces';
import { contentString, countingWebSocket, paragraphText, synced, type TestClient } from '../support/clients';
import { longAgreement, writeDocument } from '../support/document';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { createAgreement, type TestServer } from '../support/server';
import { storedContent, storeRewordedText, storeText } from '../support/stored';
import { applySyncInPieces, PIECE_STRUCTS, PIECES_FROM_BYTES, type PiecewiseSync } from '../../client/src/session/piecewiseSync';
import { inflateRaw } from '../../client/src/session/inflate';
import { isBindingHeld } from '../../client/src/session/bindingHold';
import { deflatedSyncStep2 } from '../../server/src/rooms/deflatedSync';
import { DEFLATED_SYNC_PROTOCOL, MESSAGE_DEFLATED_SYNC_STEP2 } from '#shared/protocol';
import { randomBytes } from 'node:crypto';

// A first visit waits on the whole text: 1.1 MB for 40 pages reworded for months, 5.9 s to a usable
// editor on a slow link (Chrome's "Fast 3G") for 40 pages written once. The app's client offers to
// read that copy deflated (DEFLATED_SYNC_PROTOCOL); the stock provider, which does not, gets the
// plain SyncStep2 as before.

const harness = useHarness();

interface Reader {
  client: TestClient;
  pieces: PiecewiseSync;
  bytes: { bytes: number; last?: WebSocket };
  cuts: number;
}

/** A client as the page makes it: offers the deflated copy (or not), with the page's piecewise apply installed. */
function read(s: TestServer, room: string, token: string, options: { deflatedSync: boolean; inflate?: (bytes: Uint8Array) => Promise<Uint8Array> }): Reader {
  const { counted, Counting } = countingWebSocket();
  const client = harness.connect(s, room, token, { connect: false, deflatedSync: options.deflatedSync, webSocket: Counting });
  const reader: Reader = { client, pieces: null as unknown as PiecewiseSync, bytes: counted, cuts: 0 };
  reader.pieces = applySyncInPieces(client.provider, {
    cut: async ([update]) => {
      reader.cuts++;
      return causalPieces(update, PIECE_STRUCTS);
    },
    inflate: options.inflate,
  });
  harness.defer(() => reader.pieces.destroy());
  client.provider.connect();
  return reader;
}

it('a long text reaches a newcomer who reads it deflated in well under half the bytes, the same text, applied in pieces', { timeout: 120_000 }, async () => {
  const s = await harness.start();
  const f = await createAgreement(s);
  const room = contentRoom(f.agreement.id);
  const { doc } = await storeRewordedText(s, room, 5);
  const text = contentString(doc);

  const plain = read(s, room, f.brokerToken, { deflatedSync: false });
  await synced(plain.client, 60_000);
  const deflated = read(s, room, f.brokerToken, { deflatedSync: true });
  await synced(deflated.client, 60_000);

  expect(contentString(plain.client.doc)).toBe(text);
  expect(contentString(deflated.client.doc)).toBe(text);
  // 1.1 MB of state; the filler words of this text deflate better than prose (a third of the bytes, measured).
  expect(plain.bytes.bytes).toBeGreaterThan(1_000_000);
  expect(deflated.bytes.bytes).toBeLessThan(plain.bytes.bytes / 2);
  // Inflated, it is as large as ever: applied in pieces as the plain copy is.
  expect(plain.cuts).toBe(1);
  expect(deflated.cuts).toBe(1);
  expect(isBindingHeld(deflated.client.doc)).toBe(false);

  // And the session works as before: its edits reach others, others' reach it.
  paragraphText(deflated.client.doc).insert(0, 'Deflated reader was here. ');
  await waitFor(() => contentString(plain.client.doc).includes('Deflated reader was here.'), { what: "the reader's edit at the other client" });
  paragraphText(plain.client.doc).insert(0, 'Plain reader was here. ');
  await waitFor(() => contentString(deflated.client.doc).includes('Plain reader was here.'), { what: "the other client's edit at the reader" });
});

it('the stock provider, which cannot read a deflated copy, is sent the plain one', { timeout: 60_000 }, async () => {
  const s = await harness.start();
  const f = await createAgreement(s);
  const room = contentRoom(f.agreement.id);
  const { doc } = await storeText(s, room, longAgreement(40));
  const stock = harness.connect(s, room, f.brokerToken);
  await synced(stock, 30_000);
  expect(contentString(stock.doc)).toBe(contentString(doc));
});

it('a deflated copy under the piece threshold is applied as the stock provider applies the plain one', { timeout: 60_000 }, async () => {
  const s = await harness.start();
  const f = await createAgreement(s);
  const room = contentRoom(f.agreement.id);
  const { state, doc } = await storeText(s, room, longAgreement(40));
  // Over the size from which it is deflated, under the one from which it is cut.
  expect(state.length).toBeGreaterThan(100_000);
  expect(state.length).toBeLessThan(PIECES_FROM_BYTES);
  const inflated: number[] = [];
  const reader = read(s, room, f.brokerToken, {
    deflatedSync: true,
    inflate: async (bytes) => {
      const update = await inflateRaw(bytes);
      inflated.push(update.length);
      return update;
    },
  });
  await synced(reader.client, 30_000);
  expect(contentString(reader.client.doc)).toBe(contentString(doc));
  expect(inflated).toHaveLength(1);
  expect(reader.cuts).toBe(0);
  expect(reader.bytes.bytes).toBeLessThan(state.length / 2);
});

it('what arrives while the copy is inflated waits, then is applied in the order it came', { timeout: 60_000 }, async () => {
  const s = await harness.start();
  const f = await createAgreement(s);
  const room = contentRoom(f.agreement.id);
  await storeText(s, room, longAgreement(40));
  const writer = harness.connect(s, room, f.brokerToken);
  await synced(writer, 30_000);

  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const reader = read(s, room, f.brokerToken, {
    deflatedSync: true,
    inflate: async (bytes) => {
      await gate;
      return inflateRaw(bytes);
    },
  });
  await waitFor(() => reader.pieces.busy, { timeoutMs: 30_000, what: 'the deflated copy being inflated' });

  for (const key of 'XYZ') paragraphText(writer.doc).insert(0, key);
  writer.provider.awareness.setLocalStateField('cursor', { at: 1 });
  await waitFor(() => reader.pieces.waiting >= 2, { timeoutMs: 10_000, what: 'the keystrokes and the caret waiting' });
  expect(reader.client.provider.synced).toBe(false);
  expect(contentString(reader.client.doc)).not.toContain('ZYX');

  release();
  await synced(reader.client, 30_000);
  await waitFor(() => reader.pieces.waiting === 0 && contentString(reader.client.doc) === contentString(writer.doc), {
    timeoutMs: 10_000,
    what: 'the waiting keystrokes applied',
  });
  expect(reader.client.provider.awareness.getStates().get(writer.doc.clientID)?.cursor).toEqual({ at: 1 });
});

it('a connection that closes while its copy is inflated is not counted as synced by it; the next one syncs', { timeout: 60_000 }, async () => {
  const s = await harness.start();
  const f = await createAgreement(s);
  const room = contentRoom(f.agreement.id);
  const { doc } = await storeText(s, room, longAgreement(40));
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let inflations = 0;
  const reader = read(s, room, f.brokerToken, {
    deflatedSync: true,
    inflate: async (bytes) => {
      if (inflations++ === 0) await gate;
      return inflateRaw(bytes);
    },
  });
  await waitFor(() => reader.pieces.busy, { timeoutMs: 30_000, what: 'the deflated copy being inflated' });
  reader.client.provider.disconnect();
  release();
  await waitFor(() => !reader.pieces.busy, { timeoutMs: 30_000, what: 'the copy applied' });
  expect(reader.client.provider.synced).toBe(false);
  expect(contentString(reader.client.doc)).toBe(contentString(doc));

  // Holding the text now, the next connection is sent only what it lacks, plain.
  reader.client.provider.connect();
  await synced(reader.client, 30_000);
  expect(inflations).toBe(1);
  expect(Y.encodeStateVector(reader.client.doc)).toEqual(Y.encodeStateVector(doc));
});

it('back after others wrote much, the answer to a reconnect comes deflated too', { timeout: 60_000 }, async () => {
  const s = await harness.start();
  const f = await createAgreement(s);
  const room = contentRoom(f.agreement.id);
  const writer = harness.connect(s, room, f.brokerToken);
  await synced(writer);
  paragraphText(writer.doc).insert(0, 'A short start. ');
  const reader = read(s, room, f.brokerToken, { deflatedSync: true });
  await waitFor(() => reader.client.provider.synced && contentString(reader.client.doc) === contentString(writer.doc), { what: 'the reader in sync' });
  reader.client.provider.disconnect();
  await waitFor(() => reader.bytes.last?.readyState === WebSocket.CLOSED, { what: "the reader's socket closed" });

  // While the reader is away, 40 pages are written: the reconnect's answer is all of them.
  writeDocument(writer.doc, longAgreement(40));
  const lacking = Y.encodeStateAsUpdate(writer.doc, Y.encodeStateVector(reader.client.doc)).length;
  expect(lacking).toBeGreaterThan(100_000);
  await waitFor(async () => (await storedContent(s, room)).text === contentString(writer.doc), { timeoutMs: 20_000, what: 'the server holding it' });
  const before = reader.bytes.bytes;
  reader.client.provider.connect();
  await waitFor(() => reader.client.provider.synced && contentString(reader.client.doc) === contentString(writer.doc), {
    timeoutMs: 30_000,
    what: 'the reader back in sync',
  });
  expect(reader.bytes.bytes - before).toBeLessThan(lacking / 2);
});

it('an answer that deflates too little goes plain (a reconnect that is mostly a delete set: four fifths)', async () => {
  const typeOf = async (update: Uint8Array) => (await deflatedSyncStep2(update))[0];
  // First one that deflates well (so no other deflate holds the way), then one that does not.
  expect(await typeOf(new Uint8Array(64 * 1024))).toBe(MESSAGE_DEFLATED_SYNC_STEP2);
  expect(await typeOf(randomBytes(64 * 1024))).toBe(0);
});

// Each different answer is deflated on the thread pool that also writes every room's updates to disk: one
// participant asking with made-up state vectors (a different 1 MB answer each time) must not fill it.
it('one answer is deflated at a time: an answer asked for meanwhile goes plain; the same answer waits for the one deflate', async () => {
  const typeOf = async (message: Promise<Uint8Array>) => (await message)[0];
  const first = new Uint8Array(1024 * 1024);
  const running = deflatedSyncStep2(first);
  const meanwhile = deflatedSyncStep2(new Uint8Array(64 * 1024));
  const sameAgain = deflatedSyncStep2(first);
  expect(await typeOf(meanwhile)).toBe(0);
  expect(await typeOf(running)).toBe(MESSAGE_DEFLATED_SYNC_STEP2);
  expect(await sameAgain).toBe(await running);
  // Once it is done, the next one is deflated.
  expect(await typeOf(deflatedSyncStep2(new Uint8Array(64 * 1024)))).toBe(MESSAGE_DEFLATED_SYNC_STEP2);
});

it('a deflated copy the page cannot read is asked for again, plain, and the session syncs', { timeout: 60_000 }, async () => {
  const s = await harness.start();
  const f = await createAgreement(s);
  const room = contentRoom(f.agreement.id);
  const { doc } = await storeText(s, room, longAgreement(40));
  let attempts = 0;
  const reader = read(s, room, f.brokerToken, {
    deflatedSync: true,
    inflate: async () => {
      attempts++;
      throw new TypeError('Failed to fetch: incorrect header check');
    },
  });
  const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
  try {
    await synced(reader.client, 30_000);
  } finally {
    errors.mockRestore();
  }
  expect(attempts).toBe(1);
  expect(reader.client.provider.protocols).not.toContain(DEFLATED_SYNC_PROTOCOL);
  expect(contentString(reader.client.doc)).toBe(contentString(doc));
});
