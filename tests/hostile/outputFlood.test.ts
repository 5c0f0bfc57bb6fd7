import { describe, expect, it } from 'vitest';
import { CloseCode } from '#shared/protocol';
import { bigParagraph, holdsTextOf, hostileSocket, queryAwarenessFrame, sendAll, syncStep1Frame, updateFrame } from './support/payloads';
import { ISSUE_STALL_MS, STALL_BOUND_MS, report, stallAddedByAttack, underAttack } from './support/pressure';
import { useChildServer } from './support/childHarness';
import { waitFor } from '../support/poll';
import { connectClient } from '../support/clients';

const RSS_BOUND_MB = 450;
// One writer fills the text here: a cap whose quarter (one person's share) holds it.
const BIG_TEXT_ITEMS = 16_000_000;
const harness = useChildServer();

describe('finding 2: tiny requests for huge replies', () => {
  it('four observers that stop reading, each asking 250 times for a 1 MB document, cost the server little', async () => {
    const { server, f } = await harness.start({ MAX_TEXT_ITEMS: String(BIG_TEXT_ITEMS) });
    const id = f.agreement.id;
    const writer = await hostileSocket(`${server.ws}/${id}?token=${f.brokerToken}`);
    for (const update of bigParagraph(1_000_000, 4).updates) writer.socket.send(updateFrame(update));
    const reader = connectClient(server.ws, id, f.brokerToken);
    harness.clients.push(reader);
    await waitFor(() => holdsTextOf(reader.doc, 1_000_000), {
      timeoutMs: 20_000,
      what: 'the 1 MB text to be in the room',
    });
    const observerToken = await f.invite({ role: 'observer', name: 'Olive Observer' });
    const observers = await Promise.all([0, 1, 2, 3].map(() => hostileSocket(`${server.ws}/${id}?token=${observerToken}`)));
    const asks = Array.from({ length: 250 }, syncStep1Frame);

    const pressure = await underAttack(server, id, f.brokerToken, async () => {
      for (const o of observers) o.socket.pause();
      await Promise.all(observers.map((o) => sendAll(o.socket, asks)));
      await new Promise((resolve) => setTimeout(resolve, 1000));
    });
    harness.clients.push(...pressure.clients);
    report('2a SyncStep1 flood', pressure);
    for (const o of observers) o.socket.terminate();
    writer.socket.close();
    // The issue's 200 ms, as the work one stretch of the server's main thread did (CPU, not waits for a core).
    expect(pressure.maxStallCpuMs).toBeLessThan(ISSUE_STALL_MS);
    expect(stallAddedByAttack(pressure)).toBeLessThan(STALL_BOUND_MS);
    expect(pressure.maxEditLagMs).toBeLessThan(5000);
    expect(pressure.maxRssMb).toBeLessThan(RSS_BOUND_MB);
  }, 120_000);

  it('twenty QueryAwareness bytes are answered at most once per interval', async () => {
    const { server, f } = await harness.start({ MAX_TEXT_ITEMS: String(BIG_TEXT_ITEMS) });
    const id = f.agreement.id;
    const asker = await hostileSocket(`${server.ws}/${id}?token=${f.brokerToken}`);
    let answers = 0;
    asker.socket.on('message', (data: Buffer) => {
      if (data[0] === 1) answers++;
    });
    const pressure = await underAttack(server, id, f.brokerToken, async () => {
      await sendAll(asker.socket, Array.from({ length: 20 }, queryAwarenessFrame));
      await new Promise((resolve) => setTimeout(resolve, 1500));
    });
    harness.clients.push(...pressure.clients);
    report('2b QueryAwareness flood', pressure, { answers });
    // Awareness changes of the two honest clients count too; twenty answers would be far more.
    expect(answers).toBeLessThan(10);
    expect(pressure.maxStallCpuMs).toBeLessThan(ISSUE_STALL_MS);
    asker.socket.close();
  });

  it('a connection whose unsent output passes the cap is closed with 1013 (the client reconnects)', async () => {
    const { server, f } = await harness.start({ OUTPUT_BUFFER_BYTES: String(64 * 1024), MAX_TEXT_ITEMS: String(BIG_TEXT_ITEMS) });
    const id = f.agreement.id;
    const writer = await hostileSocket(`${server.ws}/${id}?token=${f.brokerToken}`);
    // 3 MB, so a few replies fill the kernel's socket buffers (several MB on loopback) and the rest queue in the server.
    for (const update of bigParagraph(3_000_000, 8).updates) writer.socket.send(updateFrame(update));
    // Big updates are measured in the worker first: wait until the text is all there.
    const reader = connectClient(server.ws, id, f.brokerToken);
    harness.clients.push(reader);
    await waitFor(() => holdsTextOf(reader.doc, 3_000_000), {
      timeoutMs: 20_000,
      what: 'the 3 MB text to be in the room',
    });
    const observerToken = await f.invite({ role: 'observer', name: 'Olive Observer' });
    const slow = await hostileSocket(`${server.ws}/${id}?token=${observerToken}`);
    slow.socket.pause();
    let closeCode: number | undefined;
    void slow.closed.then((code) => (closeCode = code));
    // Asks until the server gives up on the reader: it logs the close it sends, which the paused
    // socket reads only once resumed (about ten asks here; waiting out all fifty took 4 s more).
    const gaveUp = () => server.output().includes('closing a connection that does not read its output');
    for (let i = 0; i < 50 && !gaveUp(); i++) {
      slow.socket.send(syncStep1Frame());
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    slow.socket.resume();
    await waitFor(() => closeCode, { timeoutMs: 10_000, what: 'the slow reader to be closed' });
    expect(closeCode).toBe(CloseCode.TryAgainLater);
    writer.socket.close();
  });
});
