import { expect, it } from 'vitest';
import { contentString, synced } from '../support/clients';
import { createAgreement } from '../support/server';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';

const harness = useHarness();

it('a presence set once and never renewed: a stock timeout of it is ignored, the server times it out and tells the others, nobody is closed', async () => {
  const s = await harness.start();
  const f = await createAgreement(s);
  const room = f.agreement.id;
  const closes: number[] = [];
  const watchers = [harness.connect(s, room, f.brokerToken), harness.connect(s, room, await f.invite({ role: 'observer', name: 'Olu' }))];
  const quiet = harness.connect(s, room, await f.invite({ role: 'negotiator', name: 'Quiet', party: f.ngoId }));
  for (const c of [...watchers, quiet]) c.provider.on('connection-close', (event: CloseEvent | null) => closes.push(event?.code ?? -1));
  await Promise.all([...watchers, quiet].map((c) => synced(c)));

  // A client that never renews its presence (its awareness timer stopped, as in a throttled tab).
  clearInterval((quiet.provider.awareness as unknown as { _checkInterval: ReturnType<typeof setInterval> })._checkInterval);
  const quietId = quiet.doc.clientID;
  quiet.provider.awareness.setLocalStateField('user', { cursor: 'here' });
  await waitFor(() => watchers.every((w) => w.provider.awareness.getStates().has(quietId)), { what: 'presence shown' });

  // The first watcher's own 30 s timeout fires now (its record of the last renewal is moved
  // back): the stock provider then sends the removal of Quiet's presence to the server.
  const stale = watchers[0].provider.awareness.meta.get(quietId)!;
  stale.lastUpdated -= 31_000;
  await waitFor(() => !watchers[0].provider.awareness.getStates().has(quietId), { what: 'first watcher timed Quiet out' });
  const live = await s.app.ctx.rooms.acquire(room);
  try {
    // The removal reached the server (the others' next message went through after it) and was
    // neither applied nor relayed, and nobody was closed for it.
    watchers[0].text.insert(0, 'after the timeout');
    await waitFor(() => contentString(watchers[1].doc).includes('after the timeout'), { what: 'next edit relayed' });
    expect(live.awareness.getStates().has(quietId)).toBe(true);
    expect(watchers[1].provider.awareness.getStates().has(quietId)).toBe(true);
    expect(closes).toEqual([]);

    // The server times the silent presence out itself and tells everyone (the quiet client,
    // alive after all, then re-announces itself, as y-protocols does when told it was removed).
    const serverTimedOut = new Promise<void>((resolve) =>
      live.awareness.on('update', ({ removed }: { removed: number[] }, origin: unknown) => {
        if (origin === 'timeout' && removed.includes(quietId)) resolve();
      }),
    );
    let othersTold = false;
    watchers[1].provider.awareness.on('change', ({ removed }: { removed: number[] }) => {
      if (removed.includes(quietId)) othersTold = true;
    });
    await serverTimedOut;
    await waitFor(() => othersTold, { what: 'the others told of the removal' });
    expect(closes).toEqual([]);
    expect([...watchers, quiet].every((c) => c.provider.wsconnected)).toBe(true);

    // When the quiet client speaks again it is shown again, although its clock is behind the removal's.
    quiet.provider.awareness.setLocalStateField('user', { cursor: 'back' });
    await waitFor(() => watchers.every((w) => w.provider.awareness.getStates().get(quietId)?.user?.cursor === 'back'), { what: 'presence back' });
    // Edits still flow both ways.
    quiet.text.insert(0, 'still here ');
    await waitFor(() => watchers.every((w) => contentString(w.doc).includes('still here after the timeout')), { what: 'edit relayed' });
    expect(closes).toEqual([]);
  } finally {
    s.app.ctx.rooms.release(live);
  }
}, 70_000);
