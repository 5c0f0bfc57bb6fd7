import { describe, expect, it } from 'vitest';
import { synced } from '../support/clients';
import { useHarness } from '../support/harness';
import { createAgreement } from '../support/server';
import { waitFor } from '../support/poll';
import { awarenessEntriesFrame } from '../support/memoryRoom';
import { hostileSocket } from './support/payloads';
import { MAX_GONE_PRESENCE_CLOCKS, MAX_PRESENCE_IDS } from '../../server/src/rooms/presence';
import { contentRoom } from '#shared/rooms';

// Every page load is a new awareness id, and the room noted each one for its whole life: whose
// presence it was (so nobody else may take it) and its presence clock. Over a long session that
// grew with every reload; and one person reconnecting in a loop, each time under
// MAX_PRESENCE_IDS fresh ids, grew it as fast as they cared to reconnect. (Before: 276 kept.)
const harness = useHarness();

describe('presence ids over a long session', () => {
  it('one person reconnecting again and again under fresh ids leaves the room a bounded note of them', async () => {
    const s = await harness.start();
    const f = await createAgreement(s);
    const room = contentRoom(f.agreement.id);
    const brook = harness.connect(s, room, f.brokerToken);
    await synced(brook);
    const olly = await f.invite({ role: 'observer', name: 'Olly' });

    const VISITS = Math.ceil((MAX_GONE_PRESENCE_CLOCKS * 3) / MAX_PRESENCE_IDS);
    let nextId = 1_000_000;
    for (let visit = 0; visit < VISITS; visit++) {
      const { socket, closed } = await hostileSocket(`${s.ws}/${room}?token=${olly}`);
      const ids = Array.from({ length: MAX_PRESENCE_IDS }, () => nextId++);
      socket.send(awarenessEntriesFrame(ids.map((id) => [id, 1, { cursor: null }])));
      socket.close();
      await closed;
    }
    const held = await s.app.ctx.rooms.acquire(room);
    try {
      await waitFor(() => held.connectionCount === 1 && held.awareness.getStates().size <= 1, { what: 'every visit gone' });
      // Brook's and the server's own ids, the latest gone ones, and the last visit's (shown when they were
      // bound; clocks are counted as new ids bind). Whose each id was is bounded apart:
      // tests/hostile/presenceBindingsCap.test.ts.
      expect(held.presenceClocksKept).toBeLessThanOrEqual(MAX_GONE_PRESENCE_CLOCKS + MAX_PRESENCE_IDS + 2);
    } finally {
      s.app.ctx.rooms.release(held);
    }
  });
});
