import { monitorEventLoopDelay } from 'node:perf_hooks';
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { contentRoom } from '#shared/rooms';
import { contentString, synced } from '../support/clients';
import { useHarness } from '../support/harness';
import { createAgreement } from '../support/server';
import { storeRewordedText } from '../support/stored';
import { waitFor } from '../support/poll';

const harness = useHarness();

// A room's compacted state was applied in one call: for 40 pages reworded for months (about
// 100,000 Yjs structs) that held the server's event loop, and every other room's sync, for half a
// second or more whenever someone opened the agreement after it had been left. It is now cut into
// pieces in the document worker and applied between yields.
it("opening an agreement reworded for months does not stall the server's event loop while its room loads", { timeout: 120_000 }, async () => {
  const s = await harness.start();
  const f = await createAgreement(s);
  const room = contentRoom(f.agreement.id);
  const { doc, state } = await storeRewordedText(s, room, 10);
  let structs = 0;
  for (const list of doc.store.clients.values()) structs += list.length;
  expect(structs).toBeGreaterThan(60_000);
  // What applying that state in one call costs on this machine now (it is slowed and shared at
  // times; the shortest of three, without a garbage collection's spike): the load held the event
  // loop at least this long when it applied it whole.
  let wholeMs = Infinity;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    Y.applyUpdate(new Y.Doc(), state);
    wholeMs = Math.min(wholeMs, performance.now() - started);
  }

  // The room is loaded as a person opening the agreement loads it (their connection acquires it),
  // up to three times: the longest the event loop was held up while it loaded (a piece, the load's
  // repair, a garbage collection), the shortest of the loads as the whole apply's is the shortest of
  // three, since on a shared machine one load's longest hold can be another process's time slice
  // (576 ms once in a full run against a 730 ms whole apply). On the code before, every load held it
  // for the whole state and more (749 to 1,858 ms seen).
  let stallMs = Infinity;
  for (let load = 1; load <= 3 && stallMs >= wholeMs / 2; load++) {
    if (load > 1) await waitFor(() => !s.app.ctx.rooms.openRoomNames().includes(room), { timeoutMs: 30_000, what: 'the room unloaded' });
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    const loaded = await s.app.ctx.rooms.acquire(room);
    delay.disable();
    try {
      expect(contentString(loaded.doc)).toBe(contentString(doc));
    } finally {
      s.app.ctx.rooms.release(loaded);
    }
    stallMs = Math.min(stallMs, delay.max / 1e6);
  }
  // A person's stock client, joining the room loaded from pieces, gets the whole text.
  const reader = harness.connect(s, room, f.brokerToken);
  await synced(reader, 30_000);
  expect(contentString(reader.doc)).toBe(contentString(doc));

  expect(stallMs, `the load held the event loop ${Math.round(stallMs)} ms; applying the state whole takes ${Math.round(wholeMs)} ms`).toBeLessThan(wholeMs / 2);
});
