import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { contentRoom } from '#shared/rooms';
import { causalPieces } from '#shared/causalPieces';
import { contentString, paragraphText, synced, type TestClient } from '../support/clients';
import { longAgreement, reword, writeDocument } from '../support/document';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { createAgreement, type TestServer } from '../support/server';
import { storeRewordedText } from '../support/stored';
import {
  applyStoredInPieces,
  applySyncInPieces,
  PIECE_STRUCTS,
  PIECES_FROM_BYTES,
  PIECES_FROM_STRUCTS,
  type PiecewiseSync,
} from '../../client/src/session/piecewiseSync';
import { structCount } from '#shared/structCount';
import { isBindingHeld } from '../../client/src/session/bindingHold';

// Issue 17: a long agreement reworded for months (1 MB of Yjs state) reached the page as one sync
// answer, applied in one call: a freeze of about a second while it opened. The page now applies it
// in causal pieces across tasks (client/src/session/piecewiseSync.ts). The cut runs here in the
// test's thread; on the page it runs in a worker (cutInWorker.ts, exercised by the browser tests).

const harness = useHarness();

/** An agreement whose stored text is 40 pages reworded five times: what a person opens after months. */
async function rewordedAgreement(s: TestServer) {
  const f = await createAgreement(s);
  const room = contentRoom(f.agreement.id);
  const { doc } = await storeRewordedText(s, room, 5);
  return { f, room, text: contentString(doc) };
}

interface Opened {
  client: TestClient;
  pieces: PiecewiseSync;
  /** Each transaction the server's messages made, in order: whether the binding was held, and the text's length after it. */
  changes: { held: boolean; synced: boolean; update: boolean }[];
  /** Lets the cut finish (until then it waits). */
  letCut: () => void;
  cuts: number;
}

/** A stock provider with the page's piecewise apply installed, its cut held until `letCut`. */
function open(s: TestServer, room: string, token: string, cut: (update: Uint8Array) => Uint8Array[] = (u) => causalPieces(u, PIECE_STRUCTS)): Opened {
  const client = harness.connect(s, room, token, { connect: false });
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const opened: Opened = { client, pieces: null as unknown as PiecewiseSync, changes: [], letCut: () => release(), cuts: 0 };
  opened.pieces = applySyncInPieces(client.provider, {
    cut: async ([update]) => {
      opened.cuts++;
      await gate;
      return cut(update);
    },
  });
  harness.defer(() => opened.pieces.destroy());
  client.doc.on('afterTransaction', (tr: Y.Transaction) => {
    if (tr.origin !== client.provider) return;
    opened.changes.push({ held: isBindingHeld(client.doc), synced: client.provider.synced, update: tr.changed.size > 0 || tr.deleteSet.clients.size > 0 });
  });
  client.provider.connect();
  return opened;
}

it(
  'a long, much-reworded text is applied in pieces across tasks, held from the editor, and marks the session synced only once all of it is in',
  { timeout: 120_000 },
  async () => {
    const s = await harness.start();
    const { f, room, text } = await rewordedAgreement(s);
    const reader = open(s, room, f.brokerToken);
    await waitFor(() => reader.pieces.busy, { timeoutMs: 30_000, what: 'the server copy being applied in pieces' });
    expect(reader.cuts).toBe(1);
    expect(isBindingHeld(reader.client.doc)).toBe(true);
    reader.letCut();
    await synced(reader.client, 60_000);

    expect(contentString(reader.client.doc)).toBe(text);
    expect(isBindingHeld(reader.client.doc)).toBe(false);
    expect(reader.pieces.busy).toBe(false);
    // About 60 pieces for 59,000 structs and the deletions; all but the last applied held and before the session counted as synced.
    const pieces = reader.changes.filter((change) => change.update);
    expect(pieces.length).toBeGreaterThan(20);
    expect(pieces.every((change) => change.held)).toBe(true);
    expect(pieces.slice(0, -1).every((change) => !change.synced)).toBe(true);

    // The session works as before afterwards: its edits reach others, others' reach it.
    const other = harness.connect(s, room, f.brokerToken);
    await synced(other, 30_000);
    paragraphText(reader.client.doc).insert(0, 'Reader was here. ');
    await waitFor(() => contentString(other.doc).includes('Reader was here.'), { what: "the reader's edit at the other client" });
    paragraphText(other.doc).insert(0, 'Other was here. ');
    await waitFor(() => contentString(reader.client.doc).includes('Other was here.'), { what: "the other client's edit at the reader" });
  },
);

it('what arrives while the copy is applied waits, then is applied in the order it came', { timeout: 120_000 }, async () => {
  const s = await harness.start();
  const { f, room } = await rewordedAgreement(s);
  const writer = harness.connect(s, room, f.brokerToken);
  await synced(writer, 30_000);
  const reader = open(s, room, f.brokerToken);
  await waitFor(() => reader.pieces.busy, { timeoutMs: 30_000, what: 'the server copy being applied in pieces' });

  // Someone types while the reader's copy is still being cut: their keystrokes and caret wait.
  for (const key of 'XYZ') paragraphText(writer.doc).insert(0, key);
  writer.provider.awareness.setLocalStateField('cursor', { at: 1 });
  // (The server may relay the three keystrokes as one message.)
  await waitFor(() => reader.pieces.waiting >= 2, { timeoutMs: 10_000, what: 'the keystrokes and the caret waiting' });
  expect(contentString(reader.client.doc)).not.toContain('ZYX');
  expect(reader.client.provider.awareness.getStates().get(writer.doc.clientID)?.cursor).toBeUndefined();

  reader.letCut();
  await synced(reader.client, 60_000);
  await waitFor(() => reader.pieces.waiting === 0 && contentString(reader.client.doc) === contentString(writer.doc), {
    timeoutMs: 10_000,
    what: 'the waiting keystrokes applied',
  });
  expect(reader.client.provider.awareness.getStates().get(writer.doc.clientID)?.cursor).toEqual({ at: 1 });
  // The keystrokes came after the copy: they were applied after its last piece, once the hold ended.
  const updates = reader.changes.filter((change) => change.update);
  const firstUnheld = updates.findIndex((change) => !change.held);
  expect(firstUnheld).toBeGreaterThan(20);
  expect(updates.slice(firstUnheld).every((change) => !change.held && change.synced)).toBe(true);
});

it('if cutting fails, the copy is applied whole, as before', { timeout: 120_000 }, async () => {
  const s = await harness.start();
  const { f, room, text } = await rewordedAgreement(s);
  const reader = open(s, room, f.brokerToken, () => {
    throw new Error('no worker');
  });
  reader.letCut();
  await synced(reader.client, 60_000);
  expect(contentString(reader.client.doc)).toBe(text);
  expect(reader.changes.filter((change) => change.update)).toHaveLength(1);
  expect(isBindingHeld(reader.client.doc)).toBe(false);
});

it('a connection that closes while its copy is applied is not counted as synced by it; the next one syncs', { timeout: 120_000 }, async () => {
  const s = await harness.start();
  const { f, room, text } = await rewordedAgreement(s);
  const reader = open(s, room, f.brokerToken);
  await waitFor(() => reader.pieces.busy, { timeoutMs: 30_000, what: 'the server copy being applied in pieces' });
  reader.client.provider.disconnect();
  reader.letCut();
  await waitFor(() => !reader.pieces.busy, { timeoutMs: 60_000, what: 'the copy applied' });
  expect(reader.client.provider.synced).toBe(false);
  expect(contentString(reader.client.doc)).toBe(text);
  expect(isBindingHeld(reader.client.doc)).toBe(false);

  reader.client.provider.connect();
  await synced(reader.client, 30_000);
  expect(contentString(reader.client.doc)).toBe(text);
});

it('a copy under the threshold is applied as the stock provider applies it', async () => {
  const s = await harness.start();
  const f = await createAgreement(s);
  const room = contentRoom(f.agreement.id);
  const writer = harness.connect(s, room, f.brokerToken);
  await synced(writer);
  paragraphText(writer.doc).insert(0, 'A short agreement.');
  const reader = open(s, room, f.brokerToken);
  await synced(reader.client, 10_000);
  expect(Y.encodeStateAsUpdate(writer.doc).length).toBeLessThan(PIECES_FROM_BYTES);
  expect(reader.cuts).toBe(0);
  await waitFor(() => contentString(reader.client.doc).includes('A short agreement.'), { what: 'the text at the reader' });
});

describe("this device's copy (y-indexeddb's records)", () => {
  /** Records as y-indexeddb keeps them: the text as first stored, then each round of rewording as written. */
  function storedRecords(): { records: Uint8Array[]; text: string } {
    const doc = new Y.Doc();
    writeDocument(doc, longAgreement(40));
    const records = [Y.encodeStateAsUpdate(doc)];
    doc.on('update', (update: Uint8Array) => records.push(update));
    reword(doc, 5);
    return { records, text: contentString(doc) };
  }
  const inProcess = async (updates: Uint8Array[]) => causalPieces(Y.mergeUpdates(updates), PIECE_STRUCTS);

  function applying(doc: Y.Doc) {
    const changes: boolean[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      if (tr.origin === 'device') changes.push(isBindingHeld(doc));
    });
    return changes;
  }

  it('a large copy is merged, cut and applied in pieces across tasks with the binding held, to the same text', async () => {
    const { records, text } = storedRecords();
    expect(records.reduce((bytes, record) => bytes + record.length, 0)).toBeGreaterThan(PIECES_FROM_BYTES);
    const doc = new Y.Doc();
    const held = applying(doc);
    await applyStoredInPieces(doc, records, 'device', { cut: inProcess });
    expect(contentString(doc)).toBe(text);
    expect(held.length).toBeGreaterThan(20);
    expect(held.every(Boolean)).toBe(true);
    expect(isBindingHeld(doc)).toBe(false);
  });

  it('a large copy this device counted few structs in (a long text written once) is applied whole, with the binding held, not cut', async () => {
    // A long text written once: 300 KB in about 2,000 structs, a few milliseconds to apply whole.
    const source = new Y.Doc();
    writeDocument(source, longAgreement(70));
    const records = [Y.encodeStateAsUpdate(source)];
    expect(records[0].length).toBeGreaterThan(PIECES_FROM_BYTES);
    const doc = new Y.Doc();
    const held = applying(doc);
    let cuts = 0;
    await applyStoredInPieces(doc, records, 'device', {
      cut: async (updates) => {
        cuts++;
        return inProcess(updates);
      },
      structs: structCount(source),
    });
    expect(contentString(doc)).toBe(contentString(source));
    expect({ cuts, held }).toEqual({ cuts: 0, held: [true] });
    expect(isBindingHeld(doc)).toBe(false);
  });

  it('a large copy counted with many structs (a text reworded for months), or not counted, is still cut', async () => {
    const { records, text } = storedRecords();
    for (const structs of [PIECES_FROM_STRUCTS, undefined]) {
      const doc = new Y.Doc();
      const held = applying(doc);
      await applyStoredInPieces(doc, records, 'device', { cut: inProcess, structs });
      expect(contentString(doc)).toBe(text);
      expect(held.length).toBeGreaterThan(20);
    }
  });

  it('if cutting fails, the copy is applied in one transaction, as y-indexeddb does', async () => {
    const { records, text } = storedRecords();
    const doc = new Y.Doc();
    const held = applying(doc);
    await applyStoredInPieces(doc, records, 'device', {
      cut: async () => {
        throw new Error('no worker offline');
      },
    });
    expect(contentString(doc)).toBe(text);
    expect(held).toEqual([true]);
    expect(isBindingHeld(doc)).toBe(false);
  });

  it('a small copy is applied in one transaction, uncut and unheld', async () => {
    const source = new Y.Doc();
    writeDocument(source, longAgreement(2));
    const doc = new Y.Doc();
    const held = applying(doc);
    let cuts = 0;
    await applyStoredInPieces(doc, [Y.encodeStateAsUpdate(source)], 'device', {
      cut: async (updates) => {
        cuts++;
        return updates;
      },
    });
    expect(contentString(doc)).toBe(contentString(source));
    expect(held).toEqual([false]);
    expect(cuts).toBe(0);
  });
});
