import { expect, it } from 'vitest';
import { connectClient, contentString, synced } from '../support/clients';
import { useHarness } from '../support/harness';
import { createAgreement } from '../support/server';
import { waitFor } from '../support/poll';
import { DEFAULT_HTTP_RATE_LIMITS } from '../../server/src/http/security';
import { LowdbStorage } from '../../server/src/storage/lowdbStorage';
import { contentRoom } from '#shared/rooms';
import { PresenceKeeper } from '../../server/src/rooms/presenceKeeper';

const h = useHarness();

// A server runs for months and opens every agreement anyone visits: each room it unloaded left a
// note behind (how often it loaded, an empty map of presence ids, its log's length), five rooms an
// agreement, for good. What a closed room leaves is bounded; what it needs again is on disk.
it('agreements opened and closed one after another leave a bounded note of their rooms behind', async () => {
  const s = await h.start({ httpRateLimits: { ...DEFAULT_HTTP_RATE_LIMITS, createPerMinute: 0 } });
  const AGREEMENTS = 30;
  for (let i = 0; i < AGREEMENTS; i++) {
    const f = await createAgreement(s);
    const client = connectClient(s.ws, contentRoom(f.agreement.id), f.brokerToken);
    await synced(client);
    client.text.insert(0, `visit ${i}`);
    await waitFor(() => contentString(client.doc).includes(`visit ${i}`), { what: 'the words stored' });
    client.destroy();
    await waitFor(() => s.app.ctx.rooms.openRooms === 0, { timeoutMs: 10_000, what: 'every room unloaded' });
  }
  const rooms = s.app.ctx.rooms;
  const storage = s.app.ctx.storage;
  expect(storage).toBeInstanceOf(LowdbStorage);
  // Whose presence each id was in a text is stored with it (presenceBindings.ts); the other rooms' bindings
  // are kept in memory past an unload only where someone was present (none here).
  expect(rooms.extension(PresenceKeeper)?.roomsRemembered).toBe(0);
  expect((storage as LowdbStorage).roomsTracked).toBe(0);
});
