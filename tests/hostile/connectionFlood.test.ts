import { expect, it } from 'vitest';
import WebSocket from 'ws';
import { contentString, synced, type TestClient } from '../support/clients';
import type { PeopleResponse } from '#shared/access';
import { api, createAgreement } from '../support/server';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { CloseCode, isFinalCloseCode } from '#shared/protocol';

const harness = useHarness();

// Each open websocket costs the server a sync of the whole text, a presence, and up to its output
// cap of unsent bytes. Nothing bounded how many one person could hold open: one token opening
// sockets in a loop (and not reading them) could take the server's memory.
//
// The refusal is temporary, not final: places free up (a tab closed; the dead sockets of a laptop
// that changed networks, dropped by the heartbeat), and a person's tab must then get in by itself.
// With a final code, a negotiator with three tabs whose wifi switched was told for good that the
// agreement was open in too many tabs, although the old sockets were only waiting to be dropped.
it('one person holding more connections than the limit is refused with a code the stock client retries after (with backoff, no sync); it gets in by itself once a place frees; their others and everyone else keep working', async () => {
  const s = await harness.start({ maxConnectionsPerPerson: 4 });
  const f = await createAgreement(s);
  const id = f.agreement.id;
  const pile = await f.invite({ role: 'negotiator', name: 'Pile', party: f.ngoId });
  const open = (token: string) => harness.connect(s, id, token);
  const held = [open(pile), open(pile), open(pile), open(pile)];
  await Promise.all(held.map((c) => synced(c)));

  const fifth = open(pile);
  await waitFor(() => fifth.closes.filter(({ code }) => code === CloseCode.TooManyConnections).length >= 3, {
    what: 'the fifth connection refused, and refused again as it retries',
  });
  expect(isFinalCloseCode(CloseCode.TooManyConnections)).toBe(false);
  expect(fifth.provider.shouldConnect).toBe(true);
  expect(fifth.provider.synced).toBe(false);
  // Refused before any sync, so the stock client's backoff grows instead of retrying at once.
  expect(fifth.provider.wsUnsuccessfulReconnects).toBeGreaterThanOrEqual(3);

  // The person's other connections and everyone else carry on.
  const broker: TestClient = harness.connect(s, id, f.brokerToken);
  await synced(broker);
  broker.text.insert(0, 'still live');
  await waitFor(() => held.every((c) => contentString(c.doc).includes('still live')), { what: 'the edit everywhere' });
  expect(held.every((c) => c.closes.length === 0)).toBe(true);

  // A closed connection frees its place, and the fifth gets in by itself, with the text.
  held[0].destroy();
  await synced(fifth);
  expect(contentString(fifth.doc)).toContain('still live');
  const people = await api<PeopleResponse>(s, 'GET', `/api/agreements/${id}/people`, undefined, f.brokerToken);
  const pileId = people.body.people.find((p) => p.name === 'Pile')!.id;
  expect(s.app.ctx.access.connections.count(id, pileId)).toBe(4);
});

/** A client that has gone away without closing (a laptop that changed networks): its socket never answers a ping. */
class GoneSocket extends WebSocket {
  constructor(address: string, protocols?: string | string[]) {
    super(address, protocols, { autoPong: false });
  }
}

// The heartbeat drops a dead socket after one to two intervals (30 s each by default). A person
// refused for holding too many connections whose old ones are dead would wait that long: at a
// refusal, their connections are asked for a pong at once, and the silent ones dropped.
it('a person whose old connections went dead without closing gets back in within seconds of being refused, long before the heartbeat would drop them', async () => {
  const s = await harness.start({ maxConnectionsPerPerson: 4, heartbeatMs: 120_000 });
  const f = await createAgreement(s);
  const id = f.agreement.id;
  const nia = await f.invite({ role: 'negotiator', name: 'Nia', party: f.ngoId });
  const gone = [0, 1, 2].map(() => harness.connect(s, id, nia, { webSocket: GoneSocket }));
  // One tab of theirs is still there (on the new network): it answers, and must be left alone.
  const stayed = harness.connect(s, id, nia);
  const stayedCloses: number[] = [];
  stayed.provider.on('connection-close', (event: CloseEvent | null) => stayedCloses.push(event?.code ?? -1));
  await Promise.all([...gone, stayed].map((c) => synced(c)));
  // Their tabs went with the old network: nothing of theirs will reconnect.
  for (const c of gone) c.provider.shouldConnect = false;

  const back = harness.connect(s, id, nia);
  const started = performance.now();
  await waitFor(() => back.provider.synced, { timeoutMs: 20_000, what: 'the new connection in, with the dead ones dropped' });
  expect(performance.now() - started).toBeLessThan(20_000);
  expect(gone.every((c) => !c.provider.wsconnected)).toBe(true);
  expect(stayedCloses).toEqual([]);
  expect(stayed.provider.wsconnected).toBe(true);
  const broker = harness.connect(s, id, f.brokerToken);
  await synced(broker);
  broker.text.insert(0, 'welcome back');
  await waitFor(() => contentString(back.doc).includes('welcome back'), { what: 'the edit reaches the returning tab' });
});
