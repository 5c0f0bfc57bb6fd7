import { describe, expect, it } from 'vitest';
import { connectClient, synced } from '../support/clients';
import { useHarness } from '../support/harness';
import { createAgreement, type TestServer } from '../support/server';
import { waitFor } from '../support/poll';
import { contentRoom, recordsRoom } from '#shared/rooms';

/**
 * A person's page asks for the agreement, then fetches its code, and only then opens the text: the server loads the
 * text (and the records held beside it) when the page asks for the agreement, so the join finds it loaded. A 60-page
 * text took its first visitor a quarter to half a second to load, and the page waited for all of it.
 */
describe('an agreement asked for by a page', () => {
  const h = useHarness();

  const asked = (s: TestServer, id: string, token: string) => fetch(`${s.http}/api/agreements/${id}`, { headers: { authorization: `Bearer ${token}` } });
  const open = (s: TestServer) => s.app.ctx.rooms.openRoomNames();

  /** A fresh agreement whose rooms are all unloaded, as a page finds it the next morning. */
  async function restingAgreement(s: TestServer) {
    const f = await createAgreement(s);
    await waitFor(() => open(s).length === 0, { timeoutMs: 10_000, what: 'the new agreement’s rooms unloaded' });
    return f;
  }

  it('has its text loaded before anyone joins it; the person who joins then holds it, and it goes when they leave', async () => {
    // A hold far longer than the waits below: the room can only go as its person leaves.
    const s = await h.start({ roomLoadAheadMs: 60_000 });
    const f = await restingAgreement(s);
    const room = contentRoom(f.agreement.id);

    // Asked for several times (a reload, a second tab): still one hold, let go by the first join.
    for (let i = 0; i < 3; i++) expect((await asked(s, f.agreement.id, f.brokerToken)).status).toBe(200);
    await waitFor(() => open(s).includes(room), { what: 'the text loaded with nobody connected' });
    expect(open(s)).toContain(recordsRoom(f.agreement.id));

    const person = connectClient(s.ws, room, f.brokerToken);
    await synced(person);
    person.text.insert(0, 'Seen at once.');
    person.destroy();
    await waitFor(() => open(s).length === 0, { timeoutMs: 15_000, what: 'the text unloaded once its person left' });
  });

  it('is let go when nobody comes within the hold, and a refused request loads nothing', async () => {
    const s = await h.start({ roomLoadAheadMs: 300 });
    const f = await restingAgreement(s);

    expect((await asked(s, f.agreement.id, 'not-a-token')).status).toBe(401);
    expect((await asked(s, 'noSuchAgreement', f.brokerToken)).status).toBeGreaterThanOrEqual(400);
    expect(open(s)).toEqual([]);

    expect((await asked(s, f.agreement.id, f.brokerToken)).status).toBe(200);
    await waitFor(() => open(s).includes(contentRoom(f.agreement.id)), { what: 'the text loaded ahead' });
    await waitFor(() => open(s).length === 0, { timeoutMs: 10_000, what: 'the text let go with nobody joining' });
  });

  it('is not loaded ahead when the server is told not to (0)', async () => {
    const s = await h.start({ roomLoadAheadMs: 0 });
    const f = await restingAgreement(s);
    expect((await asked(s, f.agreement.id, f.brokerToken)).status).toBe(200);
    // Nothing to wait for: the load would have started before the answer was sent.
    expect(open(s)).toEqual([]);
  });
});
