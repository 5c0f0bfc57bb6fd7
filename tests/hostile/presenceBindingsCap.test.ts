import { expect, it } from 'vitest';
import type * as Y from 'yjs';
import { presenceName, rawSocket, synced } from '../support/clients';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { createAgreement } from '../support/server';
import { storedDoc } from '../support/stored';
import { authorshipRoom } from '../../server/src/features/snapshots/authorship';
import { PRESENCE_KEY } from '../../server/src/features/snapshots/presenceBindings';
import { awarenessFrame, sendHandled } from './support/payloads';

const harness = useHarness();
const CAP = 3;

/** Each person's presence ids as stored with the agreement's authorship, oldest first. */
async function storedBindings(s: Parameters<typeof storedDoc>[0], agreementId: string): Promise<number[][]> {
  const doc = await storedDoc(s, authorshipRoom(agreementId));
  return [...doc.getMap<Y.Array<number>>(PRESENCE_KEY).values()].map((ids) => ids.toArray());
}

/** Waits until the stored bindings are `expected` (one list per person, in any order). */
async function storedAre(s: Parameters<typeof storedDoc>[0], agreementId: string, expected: number[][]): Promise<void> {
  const sorted = (lists: number[][]) => lists.map((ids) => ids.join()).sort();
  await waitFor(
    async () => {
      expect(sorted(await storedBindings(s, agreementId))).toEqual(sorted(expected));
      return true;
    },
    { what: `the stored bindings to be ${JSON.stringify(expected)}` },
  );
}

// Whose presence each id has been is stored for good (every instance reads it), and each page load is
// a new id: a reader reconnecting in a loop with a new id each time would grow it without end.
it(`a reader reconnecting with new presence ids keeps ${CAP} of them bound, the oldest forgotten first; another person's id stays theirs`, async () => {
  const s = await harness.start({ maxPresenceIdsPerPerson: CAP });
  const f = await createAgreement(s);
  const id = f.agreement.id;
  const mallory = await f.invite({ role: 'observer', name: 'Mallory' });
  const lena = harness.connect(s, id, await f.invite({ role: 'legal', name: 'Lena Legal' }));
  const watcher = harness.connect(s, id, f.brokerToken);
  await Promise.all([synced(lena), synced(watcher)]);
  const lenasId = lena.doc.clientID;
  lena.provider.awareness.setLocalStateField('cursor', { anchor: 1 });
  await waitFor(() => presenceName(watcher, lenasId) === 'Lena Legal', { what: "Lena's presence at the watcher" });

  // Mallory keeps one tab open, then reconnects in a loop with a new id each time (a page load each).
  const liveId = 699_999;
  const tab = await rawSocket(`${s.ws}/${id}?token=${mallory}`);
  harness.defer(() => tab.socket.close());
  tab.socket.send(awarenessFrame(liveId, 1, { cursor: null }));
  await waitFor(() => presenceName(watcher, liveId) === 'Mallory', { what: "Mallory's open tab at the watcher" });
  const pageLoads = Array.from({ length: 4 * CAP }, (_, i) => 700_000 + i);
  for (const clientId of pageLoads) await sendHandled(`${s.ws}/${id}?token=${mallory}`, [awarenessFrame(clientId, 1, { cursor: null })]);
  // Stored: Lena's id and Mallory's last three (the watcher announces no presence).
  await storedAre(s, id, [[lenasId], pageLoads.slice(-CAP)]);

  // Back once more, Mallory cannot take Lena's id. His forgotten ids are anyone's again, but the one
  // his open tab speaks for stays his while it is open.
  const ben = await f.invite({ role: 'negotiator', name: 'Ben', party: f.businessId });
  await sendHandled(`${s.ws}/${id}?token=${mallory}`, [awarenessFrame(lenasId, 2 ** 40, { cursor: null })]);
  await sendHandled(`${s.ws}/${id}?token=${ben}`, [awarenessFrame(pageLoads[0], 2, { cursor: null }), awarenessFrame(liveId, 2 ** 40, { cursor: null })]);
  await storedAre(s, id, [[lenasId], pageLoads.slice(-CAP), [pageLoads[0]]]);
  expect(presenceName(watcher, lenasId)).toBe('Lena Legal');
  expect(presenceName(watcher, liveId)).toBe('Mallory');
});
