import { expect, it } from 'vitest';
import { contentRoom } from '#shared/rooms';
import { contentString, paragraphText, synced, type TestClient } from '../support/clients';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { createAgreement, startServer } from '../support/server';
import { storeRewordedText, storedContent } from '../support/stored';

// A room's log is compacted every 2,000 updates while people type. The whole state was encoded on the
// event loop then (35 to 116 ms for 40 pages reworded for months), and every person in every agreement
// waited: a state encoded away missed the words stored meanwhile, and a compaction replaced the whole
// log. Now the state is encoded in the document worker and replaces only the records it holds.

const h = useHarness();

/** Types one character at the end of the first paragraph every few milliseconds until stopped; `typed` counts them. */
function keepTyping(client: TestClient, letter: string): { stop(): void; typed: number } {
  const typing = { typed: 0, stop: () => clearInterval(timer) };
  const timer = setInterval(() => {
    const text = paragraphText(client.doc);
    text.insert(text.length, letter);
    typing.typed++;
  }, 3);
  return typing;
}

it('a compaction while two people type is encoded away from the event loop, and the stored text holds every keystroke, also after a restart', async () => {
  const s = await h.start();
  const f = await createAgreement(s);
  const room = contentRoom(f.agreement.id);
  await storeRewordedText(s, room, 2, 12);
  const nia = h.connect(s, room, f.brokerToken);
  const ben = h.connect(s, room, f.brokerToken);
  await synced(nia);
  await synced(ben);
  const typists = [keepTyping(nia, 'n'), keepTyping(ben, 'b')];
  try {
    await waitFor(() => typists.every((t) => t.typed > 20), { what: 'both typing' });
    const { compactions, keptAfter } = await s.app.ctx.rooms.with(room, async (open) => {
      await open.compact();
      return { compactions: open.compactions, keptAfter: s.app.ctx.storage.pendingLogLength(room) };
    });
    expect(compactions).toEqual({ away: 1, here: 0 });
    // The records stored while the state was encoded stay after it.
    expect(keptAfter).toBeGreaterThan(0);
    const typedThen = typists.map((t) => t.typed);
    await waitFor(() => typists.every((t, i) => t.typed > typedThen[i] + 20), { what: 'typing after the compaction' });
  } finally {
    for (const typist of typists) typist.stop();
  }
  await waitFor(() => contentString(nia.doc) === contentString(ben.doc), { timeoutMs: 10_000, what: 'both pages hold every keystroke' });
  const text = contentString(nia.doc);
  await s.app.ctx.rooms.with(room, (open) => open.whenStored());
  // What storage holds now, read afresh: the compacted state and the log kept after it.
  expect((await storedContent(s, room)).text).toBe(text);

  h.destroyClients();
  await s.close();
  const again = await startServer({ dataDir: s.dataDir });
  h.defer(() => again.close());
  const reader = h.connect(again, room, f.brokerToken);
  await synced(reader, 10_000);
  expect(contentString(reader.doc)).toBe(text);
}, 60_000);
