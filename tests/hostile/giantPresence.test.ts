import { describe, expect, it } from 'vitest';
import * as decoding from 'lib0/decoding';
import { awarenessFrame, hostileSocket, queryAwarenessFrame } from './support/payloads';
import { ISSUE_STALL_MS, STALL_BOUND_MS, report, stallAddedByAttack, underAttack } from './support/pressure';
import { useChildServer } from './support/childHarness';
import { connectClient, synced } from '../support/clients';
import { waitFor } from '../support/poll';

const RSS_BOUND_MB = 450;
const harness = useChildServer();

/** Bytes of awareness a fresh connection receives in its first moments. */
async function awarenessBytesOfNewcomer(url: string): Promise<number> {
  const newcomer = await hostileSocket(url);
  let bytes = 0;
  newcomer.socket.on('message', (data: Buffer) => {
    if (decoding.readVarUint(decoding.createDecoder(data)) === 1) bytes += data.byteLength;
  });
  newcomer.socket.send(queryAwarenessFrame());
  await new Promise((resolve) => setTimeout(resolve, 1000));
  newcomer.socket.close();
  return bytes;
}

describe('finding 3: giant presence states', () => {
  it('a 6 MB presence state, or one with an unknown field, is dropped and never reaches anyone', async () => {
    const { server, f } = await harness.start();
    const id = f.agreement.id;
    const negotiator = await f.invite({ role: 'negotiator', name: 'Mallory', party: f.ngoId });
    let newcomerBytes = 0;
    let sent = 0;
    const pressure = await underAttack(server, id, f.brokerToken, async () => {
      for (const state of [{ user: { name: 'M' }, cursor: null, blob: 'x' }, { cursor: { anchor: 'x'.repeat(6 * 1024 * 1024), head: null } }]) {
        const giant = await hostileSocket(`${server.ws}/${id}?token=${negotiator}`);
        giant.socket.send(awarenessFrame(424242 + sent++, 1, state));
        // Someone who joins while the giant is still connected.
        newcomerBytes = Math.max(newcomerBytes, await awarenessBytesOfNewcomer(`${server.ws}/${id}?token=${f.brokerToken}`));
        giant.socket.close();
        await giant.closed;
      }
    });
    harness.clients.push(...pressure.clients);
    report('3 giant presence', pressure, { newcomerBytes });
    expect(newcomerBytes).toBeLessThan(16 * 1024);
    // The issue's 200 ms, as the work one stretch of the server's main thread did (CPU, not waits for a core).
    expect(pressure.maxStallCpuMs).toBeLessThan(ISSUE_STALL_MS);
    expect(stallAddedByAttack(pressure)).toBeLessThan(STALL_BOUND_MS);
    expect(pressure.maxEditLagMs).toBeLessThan(5000);
    expect(pressure.maxRssMb).toBeLessThan(RSS_BOUND_MB);
  });

  it('the stock client’s own presence (user and cursor) still passes', async () => {
    const { server, f } = await harness.start();
    const id = f.agreement.id;
    const a = connectClient(server.ws, id, f.brokerToken);
    const b = connectClient(server.ws, id, f.brokerToken);
    harness.clients.push(a, b);
    await synced(a, 15_000);
    await synced(b, 15_000);
    a.provider.awareness.setLocalStateField('user', { name: 'Brook Broker', color: '#123456' });
    a.provider.awareness.setLocalStateField('cursor', { anchor: { type: null, tname: 'content', item: null, assoc: 0 }, head: null });
    await waitFor(() => (b.provider.awareness.getStates().get(a.doc.clientID) as { cursor?: unknown } | undefined)?.cursor, { what: 'b sees a’s cursor' });
    expect(a.provider.wsconnected).toBe(true);
  });
});
