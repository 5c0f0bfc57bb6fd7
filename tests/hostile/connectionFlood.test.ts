import { expect, it } from 'vitest';
import { contentString, synced, type TestClient } from '../support/clients';
import type { PeopleResponse } from '#shared/access';
import { api, createAgreement } from '../support/server';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';

const harness = useHarness();

// Each open websocket costs the server a sync of the whole text, a presence, and up to its output
// cap of unsent bytes. Nothing bounded how many one person could hold open: one token opening
// sockets in a loop (and not reading them) could take the server's memory.
it('one person holding more connections than the limit is refused with a final code the stock client stops on; their others and everyone else keep working', async () => {
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
  await waitFor(() => fifth.closes.includes(4429), { what: 'the fifth connection refused' });
  expect(fifth.provider.shouldConnect).toBe(false);
  expect(fifth.provider.synced).toBe(false);

  // The person's other connections and everyone else carry on.
  const broker: TestClient = harness.connect(s, id, f.brokerToken);
  await synced(broker);
  broker.text.insert(0, 'still live');
  await waitFor(() => held.every((c) => contentString(c.doc).includes('still live')), { what: 'the edit everywhere' });
  expect(held.every((c) => c.closes.length === 0)).toBe(true);

  // A closed connection frees its place (once the server has seen it close).
  const people = await api<PeopleResponse>(s, 'GET', `/api/agreements/${id}/people`, undefined, f.brokerToken);
  const pileId = people.body.people.find((p) => p.name === 'Pile')!.id;
  held[0].destroy();
  await waitFor(() => s.app.ctx.access.connections.count(id, pileId) === 3, { what: 'the closed connection let go' });
  const again = open(pile);
  await synced(again);
  expect(again.closes).toEqual([]);
});
