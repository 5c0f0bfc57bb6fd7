import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { contentString, paragraphText, rawSocket, synced, type TestClient } from '../support/clients';
import { createAgreement } from '../support/server';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { CloseCode, isFinalCloseCode } from '#shared/protocol';
import type { RateLimit } from '../../server/src/ws/rateLimit';

const harness = useHarness();

/** Records every close code a stock client sees. */
function closesOf(client: TestClient): number[] {
  const codes: number[] = [];
  client.provider.on('connection-close', (event: CloseEvent | null) => codes.push(event?.code ?? -1));
  return codes;
}

describe('close codes say what the client should do', () => {
  it('temporary refusals are outside 4400-4499, final ones inside', () => {
    for (const code of [CloseCode.TryAgainLater, CloseCode.GoingAway, CloseCode.BadMessage, CloseCode.MessageTooBig, CloseCode.InternalError]) {
      expect({ code, final: isFinalCloseCode(code) }).toEqual({ code, final: false });
    }
    for (const code of [CloseCode.Unauthorized, CloseCode.Forbidden, CloseCode.NotFound, CloseCode.AccessEnded]) {
      expect({ code, final: isFinalCloseCode(code) }).toEqual({ code, final: true });
    }
  });

  it('a stock client over the rate limit is closed with 1013, reconnects by itself with bounded retries and ends identical to the others', async () => {
    const rateLimit: RateLimit = { messagesPerSecond: 20, bytesPerSecond: 0, burstSeconds: 1 };
    const s = await harness.start({ rateLimit });
    const f = await createAgreement(s);
    const room = f.agreement.id;
    const typist = harness.connect(s, room, await f.invite({ role: 'negotiator', name: 'Fast', party: f.ngoId }));
    const reader = harness.connect(s, room, await f.invite({ role: 'negotiator', name: 'Reader', party: f.businessId }));
    const typistCloses = closesOf(typist);
    const readerCloses = closesOf(reader);
    await synced(typist);
    await synced(reader);

    // 200 one-character updates at once: ten times the burst.
    for (let i = 0; i < 200; i++) typist.text.insert(typist.text.length, String(i % 10));
    await waitFor(() => typistCloses.includes(CloseCode.TryAgainLater), { what: 'closed for the rate limit' });
    await waitFor(() => typist.provider.synced && contentString(reader.doc) === contentString(typist.doc) && typist.text.length === 200, {
      timeoutMs: 15_000,
      what: 'typist back and identical to the reader',
    });
    expect(typist.provider.shouldConnect).toBe(true);
    expect(readerCloses).toEqual([]);
    expect(typistCloses.every((code) => code === CloseCode.TryAgainLater)).toBe(true);
    // The cooldown (2 s) refuses reconnects before they sync, so the client's backoff grows:
    // with a 200 ms cap that is about ten attempts, not hundreds.
    expect(typistCloses.length).toBeLessThan(20);
  });

  it('a server shutting down closes with 1001 and the stock client does not give up', async () => {
    const s = await harness.start();
    const f = await createAgreement(s);
    const client = harness.connect(s, f.agreement.id, f.brokerToken);
    const codes = closesOf(client);
    await synced(client);
    await s.app.close();
    await waitFor(() => codes.length > 0, { what: 'closed' });
    expect(codes[0]).toBe(CloseCode.GoingAway);
    expect(client.provider.shouldConnect).toBe(true);
  });

  it('a big update the server cannot measure in time closes its sender with 4500: the stock client keeps it and tries again, and the others go on', async () => {
    // Every measurement in the worker times out: a worker that starts and never answers. (A 1 ms limit alone no
    // longer does it: the limit starts once the worker has started, and a quick job can answer within it.)
    const neverAnswers = new URL(
      `data:text/javascript,${encodeURIComponent("import { parentPort } from 'node:worker_threads'; parentPort.postMessage({ ready: true }); parentPort.on('message', () => {});")}`,
    );
    const s = await harness.start({ workerJobTimeoutMs: 200, workerScript: neverAnswers });
    const f = await createAgreement(s);
    const room = f.agreement.id;
    const paster = harness.connect(s, room, f.brokerToken);
    const other = harness.connect(s, room, await f.invite({ role: 'negotiator', name: 'Other', party: f.ngoId }));
    await synced(paster);
    await synced(other);
    const closes: { code: number; reason: string }[] = [];
    paster.provider.on('connection-close', (event: CloseEvent | null) => closes.push({ code: event?.code ?? -1, reason: event?.reason ?? '' }));

    // Over 64 kB: measured in the worker, which never answers in time.
    const pasted = 'pasted clause. '.repeat(6_000);
    paster.text.insert(0, pasted);
    await waitFor(() => closes.length > 0, { what: 'the paster closed', timeoutMs: 10_000 });
    expect(closes[0]).toEqual({ code: CloseCode.BadMessage, reason: expect.stringContaining('took too long') });
    // Not a final close: the stock provider reconnects, sends its text again and is refused again.
    await waitFor(() => closes.length >= 2, { what: 'a second try', timeoutMs: 15_000 });
    expect(closes.every((close) => close.code === CloseCode.BadMessage)).toBe(true);
    expect(paster.provider.shouldConnect).toBe(true);
    expect(contentString(paster.doc)).toContain(pasted);

    // Meanwhile the room goes on: another person's edit is stored, and the paste is not.
    other.text.insert(0, 'other edit');
    const live = await s.app.ctx.rooms.acquire(room);
    try {
      await waitFor(() => contentString(live.doc).includes('other edit'), { what: "the other's edit in the room" });
      expect(contentString(live.doc)).not.toContain('pasted clause.');
    } finally {
      s.app.ctx.rooms.release(live);
    }
    expect((await fetch(`${s.http}/api/health`)).status).toBe(200);
  });

  it('an unreadable awareness update or an unknown message type is dropped, and the connection keeps working', async () => {
    const s = await harness.start();
    const f = await createAgreement(s);
    const room = f.agreement.id;
    const reader = harness.connect(s, room, f.brokerToken);
    await synced(reader);
    const raw = await rawSocket(`${s.ws}/${room}?token=${f.brokerToken}`);
    const garbageAwareness = encoding.createEncoder();
    encoding.writeVarUint(garbageAwareness, 1);
    encoding.writeVarUint8Array(garbageAwareness, new Uint8Array([3, 1, 1, 250, 123]));
    raw.socket.send(encoding.toUint8Array(garbageAwareness));
    raw.socket.send(new Uint8Array([9, 0]));
    // A well-formed edit after them is applied and relayed.
    const doc = new Y.Doc();
    // Into a paragraph of the text: the server refuses types the schema does not know.
    paragraphText(doc).insert(0, 'after the garbage');
    const update = encoding.createEncoder();
    encoding.writeVarUint(update, 0);
    encoding.writeVarUint(update, 2);
    encoding.writeVarUint8Array(update, Y.encodeStateAsUpdate(doc));
    raw.socket.send(encoding.toUint8Array(update));
    await waitFor(() => contentString(reader.doc).includes('after the garbage'), { what: 'edit relayed' });
    expect(raw.socket.readyState).toBe(raw.socket.OPEN);
    raw.socket.close();
  });
});

describe('echo and refused writes', () => {
  it("every update reaches every connection of the room, its sender's included", async () => {
    const s = await harness.start();
    const f = await createAgreement(s);
    const writer = harness.connect(s, f.agreement.id, f.brokerToken);
    await synced(writer);
    const echoed: number[] = [];
    const handle = writer.provider.messageHandlers[0];
    writer.provider.messageHandlers[0] = (encoder, decoder, provider, emitSynced, messageType) => {
      const peek = decoding.clone(decoder);
      if (decoding.readVarUint(peek) === 2) echoed.push(...Y.parseUpdateMeta(decoding.readVarUint8Array(peek)).to.keys());
      handle(encoder, decoder, provider, emitSynced, messageType);
    };
    writer.text.insert(0, 'mine');
    await waitFor(() => echoed.includes(writer.doc.clientID), { what: 'own update echoed' });
  });

  it("an observer's write is answered with permission-denied and reaches nobody", async () => {
    const s = await harness.start();
    const f = await createAgreement(s);
    const room = f.agreement.id;
    const broker = harness.connect(s, room, f.brokerToken);
    const observer = harness.connect(s, room, await f.invite({ role: 'observer', name: 'Olu' }));
    const denials: string[] = [];
    observer.provider.messageHandlers[2] = (_encoder, decoder) => {
      if (decoding.readVarUint(decoder) === 0) denials.push(decoding.readVarString(decoder));
    };
    await synced(broker);
    await synced(observer);
    // Joining sends the server a sync reply (with the copy's delete set): that is no write.
    broker.text.insert(0, 'hello ');
    await waitFor(() => contentString(observer.doc).includes('hello'), { what: 'observer synced' });
    expect(denials).toEqual([]);

    observer.doc.getText('probe').insert(0, 'forced');
    await waitFor(() => denials.length > 0, { what: 'permission denied' });
    expect(denials[0]).toMatch(/read-only/);
    broker.text.insert(0, 'broker edit');
    await waitFor(() => contentString(observer.doc).includes('broker edit'), { what: 'broker edit reached the observer' });
    expect(broker.doc.getText('probe').toString()).toBe('');
  });
});
