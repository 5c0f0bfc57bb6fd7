import { describe, expect, it } from 'vitest';
import { contentRoom } from '#shared/rooms';
import type { Suggestion, SuggestOnlyState } from '#shared/suggestions';
import { useHarness } from '../support/harness';
import { paragraphText, synced } from '../support/clients';
import { waitFor } from '../support/poll';
import { api } from '../support/server';
import { storedContent } from '../support/stored';
import { CLAUSE, at, stage } from './setup';

describe('suggest-only', () => {
  const harness = useHarness();

  it('while the broker has made the agreement suggest-only, nobody’s direct edit is accepted, suggestions still are, until it is lifted', async () => {
    const s = await stage(harness);
    const room = contentRoom(s.f.agreement.id);
    // Made before the negotiator's copy diverges from the server's (its dropped edit stays local).
    const { body } = await s.suggest(s.tokens.legal, { anchor: s.anchor(at('cost'), at('.')), text: 'costs' });
    const on = await api<{ suggestOnly: SuggestOnlyState }>(s.server, 'PUT', s.path('/suggest-only'), { on: true }, s.f.brokerToken);
    expect(on.status).toBe(200);
    expect(on.body.suggestOnly.by.name).toBe('Brook Broker');

    // A negotiator's and the broker's stock clients type directly: the server drops both.
    const broker = harness.connect(s.server, room, s.f.brokerToken);
    await synced(broker);
    const live = await s.server.app.ctx.rooms.with(room, (r) => r);
    const droppedBefore = live.droppedUpdates;
    paragraphText(s.ngo.doc).insert(1, 'NGO ');
    paragraphText(broker.doc).insert(1, 'BROKER ');
    await waitFor(() => live.droppedUpdates >= droppedBefore + 2, { what: 'both updates dropped' });
    expect((await storedContent(s.server, room)).text).toContain(`>${CLAUSE}<`);

    // A suggestion is still accepted, and applied by the server.
    const accepted = await api<{ suggestion: Suggestion }>(s.server, 'POST', s.path(`/suggestions/${body.suggestion.id}/accept`), undefined, s.tokens.business);
    expect(accepted.status).toBe(200);
    expect((await storedContent(s.server, room)).text).toContain('>The parties share the costs.<');

    // Lifted: a fresh client's direct edit goes through again.
    expect((await api(s.server, 'PUT', s.path('/suggest-only'), { on: false }, s.f.brokerToken)).body).toEqual({ suggestOnly: null });
    const fresh = harness.connect(s.server, room, s.tokens.business);
    await synced(fresh);
    paragraphText(fresh.doc).insert(paragraphText(fresh.doc).length, ' Agreed.');
    await waitFor(async () => (await storedContent(s.server, room)).text.includes('costs. Agreed.'), { what: 'the direct edit stored' });
  });

  // Suggest-only is how a broker makes every change pass another person's eyes. Its author accepting
  // a suggestion at once made it a direct edit nobody else had seen (the suggestions audit noticed).
  it('while suggest-only, a suggestion is accepted by someone other than its author: the author is refused, alone and in bulk', async () => {
    const s = await stage(harness);
    await api(s.server, 'PUT', s.path('/suggest-only'), { on: true }, s.f.brokerToken);
    const mine = (await s.suggest(s.tokens.ngo, { anchor: s.anchor(at('cost'), at('.')), text: 'costs' })).body.suggestion;

    const own = await api<{ code: string; error: string }>(s.server, 'POST', s.path(`/suggestions/${mine.id}/accept`), undefined, s.tokens.ngo);
    expect(own).toMatchObject({ status: 403, body: { error: expect.stringMatching(/someone other than/) } });
    const bulk = await api<{ refused: string[]; decided: unknown[] }>(
      s.server,
      'POST',
      s.path('/suggestions/accept-all'),
      { person: mine.author.personId },
      s.tokens.ngo,
    );
    expect(bulk.body).toMatchObject({ refused: [mine.id], decided: [] });
    // The author may still withdraw it; another negotiator may accept it.
    expect((await api(s.server, 'POST', s.path(`/suggestions/${mine.id}/accept`), undefined, s.tokens.business)).status).toBe(200);
  });

  it('holds after the text room unloads and loads again (the lock is known before any update is applied)', async () => {
    const s = await stage(harness);
    const room = contentRoom(s.f.agreement.id);
    await api(s.server, 'PUT', s.path('/suggest-only'), { on: true }, s.f.brokerToken);
    s.ngo.destroy();
    await waitFor(() => !s.server.app.ctx.rooms.openRoomNames().includes(room), { what: 'the text room unloaded' });
    // Updates sent straight after connecting, before the first sync completes.
    const again = harness.connect(s.server, room, s.tokens.ngo);
    paragraphText(again.doc).insert(0, 'Sneaky ');
    await synced(again);
    await waitFor(async () => (await s.server.app.ctx.rooms.with(room, (r) => r.droppedUpdates)) > 0, { what: 'the update dropped' });
    expect((await storedContent(s.server, room)).text).not.toContain('Sneaky');
  });
});
