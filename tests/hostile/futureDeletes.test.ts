import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import { contentString, synced } from '../support/clients';
import { createAgreement } from '../support/server';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { storedContent, storedDoc } from '../support/stored';
import { sendHandled, updateFrame } from './support/payloads';
import { malloryAndTwo } from './support/people';

// A Yjs delete set may name items that do not exist yet: Yjs keeps such deletions pending and
// applies them when the items arrive. A hand-made update deleting another person's future
// clocks silently deleted everything they typed after it, at the server and at every client.
const harness = useHarness();

/** A Yjs v1 update with no structs and one deletion: `len` items of `client` from `clock`. */
function deletion(client: number, clock: number, len: number): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0); // no structs
  encoding.writeVarUint(e, 1); // one client in the delete set
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, 1); // one range
  encoding.writeVarUint(e, clock);
  encoding.writeVarUint(e, len);
  return encoding.toUint8Array(e);
}

describe('deletions of what does not exist yet', () => {
  it("a hand-made update deleting another person's future typing deletes nothing: what they type next is kept and shown", async () => {
    const { s, room, mallory, lena, ben } = await malloryAndTwo(harness);

    // Whatever the server did with it, it has had it before Lena types on.
    const next = Y.getState(lena.doc.store, lena.doc.clientID);
    await sendHandled(`${s.ws}/${room}?token=${mallory}`, [updateFrame(deletion(lena.doc.clientID, next, 1_000_000))]);
    lena.text.insert(lena.text.length, ' Clause 2: the river.');
    await waitFor(async () => contentString(ben.doc).includes('Clause 2: the river.'), { timeoutMs: 5_000, what: "Lena's next words at Ben" });
    await waitFor(async () => (await storedContent(s, room)).text.includes('Clause 2: the river.'), { what: "Lena's next words stored" });
    expect(contentString(lena.doc)).toContain('Clause 2: the river.');
  });

  it('a text stored with such a deletion waiting (before it was refused) drops it as it loads: what is typed under those ids is kept', async () => {
    const s = await harness.start();
    const f = await createAgreement(s);
    const room = f.agreement.id;
    await waitFor(() => !s.app.ctx.rooms.openRoomNames().includes(room), { what: 'the room unloaded after its creation' });
    const lena = harness.connect(s, room, await f.invite({ role: 'negotiator', name: 'Lena', party: f.businessId }), { connect: false });
    const doc = await storedDoc(s, room);
    await s.app.ctx.storage.compactRoom(room, Y.mergeUpdates([Y.encodeStateAsUpdate(doc), deletion(lena.doc.clientID, 0, 1_000_000)]));
    lena.provider.connect();
    await synced(lena);
    lena.text.insert(0, 'Clause 1: the river.');
    await waitFor(async () => (await storedContent(s, room)).text.includes('Clause 1: the river.'), { what: "Lena's words stored" });
    expect(contentString(lena.doc)).toContain('Clause 1: the river.');
  });
});
