import { describe, expect, it } from 'vitest';
import * as encoding from 'lib0/encoding';
import { contentString, countingWebSocket, synced, type TestClient } from '../support/clients';
import { useHarness } from '../support/harness';
import { createAgreement } from '../support/server';
import { waitFor } from '../support/poll';
import { hostileSocket, queryAwarenessFrame } from './support/payloads';
import { MAX_PRESENCE_IDS } from '../../server/src/rooms/presence';
import { MAX_PRESENCE_ENTRIES } from '../../server/src/rooms/guards/presenceShape';

// An observer sent one 1.4 MB awareness message holding 200,000 tiny `{}` states, each under a
// made-up client id. The server kept and stamped them all (the observer's `user` on each) and sent
// about 24 MB to everyone; the stock provider re-sends every awareness change it receives, so each
// honest client sent 24 MB back, over the frame limit, and was closed with 1009; kept up inside the
// rate limit, the honest clients' typing stopped reaching each other and they were closed with 1013.
// A connection speaks for a few awareness ids at most (a stock client uses one).
const harness = useHarness();

/** One awareness frame holding `count` states `{}` under ids `firstId`, `firstId + 1`, …, all at `clock`. */
function manyIdsFrame(firstId: number, count: number, clock: number): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, count);
  for (let i = 0; i < count; i++) {
    encoding.writeVarUint(inner, firstId + i);
    encoding.writeVarUint(inner, clock);
    encoding.writeVarString(inner, '{}');
  }
  const frame = encoding.createEncoder();
  encoding.writeVarUint(frame, 1);
  encoding.writeVarUint8Array(frame, encoding.toUint8Array(inner));
  return encoding.toUint8Array(frame);
}

/** Client ids in `client`'s awareness shown under `name` (the server stamps it from the token). */
function shownAs(client: TestClient, name: string): number {
  return [...client.provider.awareness.getStates().values()].filter((state) => (state.user as { name?: string } | undefined)?.name === name).length;
}

describe('one connection announcing presence under many client ids', () => {
  it('shows a few of them at most: the honest stock clients stay connected, keep typing to each other, and are sent little', async () => {
    const s = await harness.start();
    const f = await createAgreement(s);
    const room = f.agreement.id;
    const observer = await f.invite({ role: 'observer', name: 'Olly' });
    const broker = countingWebSocket();
    const negotiator = countingWebSocket();
    const brook = harness.connect(s, room, f.brokerToken, { webSocket: broker.Counting });
    const nia = harness.connect(s, room, await f.invite({ role: 'negotiator', name: 'Nia', party: f.ngoId }), { webSocket: negotiator.Counting });
    await synced(brook);
    await synced(nia);
    brook.text.insert(0, 'hello');
    await waitFor(() => contentString(nia.doc).includes('hello'), { what: 'the first words at Nia' });
    const before = [broker.counted.bytes, negotiator.counted.bytes];

    // One message of 200,000 ids; then as many in messages of the most entries one may hold, and a
    // third of them again with newer clocks (3.3 MB in 135 messages, inside the rate limit's burst).
    const flood = await hostileSocket(`${s.ws}/${room}?token=${observer}`);
    harness.defer(() => flood.socket.close());
    flood.socket.send(manyIdsFrame(1_000_000, 200_000, 1));
    for (let first = 0; first < 200_000; first += MAX_PRESENCE_ENTRIES) flood.socket.send(manyIdsFrame(2_000_000 + first, MAX_PRESENCE_ENTRIES, 1));
    for (let first = 0; first < 70_000; first += MAX_PRESENCE_ENTRIES) flood.socket.send(manyIdsFrame(2_000_000 + first, MAX_PRESENCE_ENTRIES, 2));
    // Frames are handled in order: the answer to a presence query sent last says all of the flood was.
    let answered = false;
    flood.socket.on('message', (data: Buffer) => (answered ||= data[0] === 1));
    flood.socket.send(queryAwarenessFrame());
    await waitFor(() => answered, { timeoutMs: 20_000, what: 'the flood handled' });

    // Brook keeps typing; each word must reach Nia soon.
    const latencies: number[] = [];
    for (let i = 0; i < 10; i++) {
      const marker = `m${i}.`;
      const sentAt = performance.now();
      brook.text.insert(brook.text.length, marker);
      await waitFor(() => contentString(nia.doc).includes(marker), {
        timeoutMs: 5000,
        what: `${marker} at Nia (closes ${JSON.stringify([brook.closes, nia.closes])})`,
      });
      latencies.push(Math.round(performance.now() - sentAt));
    }
    const sent = [broker.counted.bytes - before[0], negotiator.counted.bytes - before[1]];
    console.log(`presence flood: latencies ${latencies.join(',')} ms; bytes sent to broker ${sent[0]}, negotiator ${sent[1]}`);

    expect(brook.closes).toEqual([]);
    expect(nia.closes).toEqual([]);
    expect(shownAs(brook, 'Olly')).toBeLessThanOrEqual(MAX_PRESENCE_IDS);
    expect(shownAs(nia, 'Olly')).toBeLessThanOrEqual(MAX_PRESENCE_IDS);
    expect(await s.app.ctx.rooms.with(room, (r) => r.awareness.getStates().size)).toBeLessThanOrEqual(2 + MAX_PRESENCE_IDS);
    expect(Math.max(...latencies)).toBeLessThan(2000);
    for (const bytes of sent) expect(bytes).toBeLessThan(64 * 1024);
  }, 60_000);
});
