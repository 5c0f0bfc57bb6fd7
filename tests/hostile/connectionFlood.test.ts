import { expect, it } from 'vitest';
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
  const open = (token: string) => {
    const client = harness.connect(s, id, token);
    const closes: number[] = [];
    client.provider.on('connection-close', (event: CloseEvent | null) => closes.push(event?.code ?? -1));
    return Object.assign(client, { closes });
  };
  const held = [open(pile), open(pile), open(pile), open(pile)];
  await Promise.all(held.map((c) => synced(c)));

  const fifth = open(pile);
  await waitFor(() => fifth.closes.filter((code) => code === CloseCode.TooManyConnections).length >= 3, {
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
