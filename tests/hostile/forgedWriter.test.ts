import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { contentString, paragraphText, rawSocket, synced } from '../support/clients';
import { createAgreement } from '../support/server';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { storedContent } from '../support/stored';
import { syncStep1Frame, updateFrame } from './support/payloads';

// Each insertion in the text carries its writer's Yjs client id, which the authorship log maps to
// a person (first writer wins): diffs, redlines and exports credit that person. Another person's
// id is no secret (every client sees it in the text and in presence), so a hand-made update could
// write under it: the words were credited to someone who never wrote them, and the real owner's
// next keystrokes, at the same clocks, were lost at the server while their own screen showed them.
const harness = useHarness();

describe("writing under another person's client id", () => {
  it('is refused: the forged words are nowhere, and the person whose id it was types on, credited as before', async () => {
    const s = await harness.start();
    const f = await createAgreement(s);
    const room = f.agreement.id;
    const mallory = await f.invite({ role: 'negotiator', name: 'Mallory', party: f.ngoId });
    const lena = harness.connect(s, room, await f.invite({ role: 'negotiator', name: 'Lena', party: f.businessId }));
    const ben = harness.connect(s, room, await f.invite({ role: 'negotiator', name: 'Ben', party: f.businessId }));
    await synced(lena);
    await synced(ben);
    lena.text.insert(0, 'Clause 1.');
    await waitFor(() => contentString(ben.doc).includes('Clause 1.'), { what: "Lena's clause at Ben" });
    // Mallory's copy of the text, writing as Lena's client id.
    const forge = new Y.Doc();
    Y.applyUpdate(forge, Y.encodeStateAsUpdate(ben.doc));
    forge.clientID = lena.doc.clientID;
    let forged: Uint8Array | undefined;
    forge.on('update', (update: Uint8Array) => (forged = update));
    paragraphText(forge).insert(0, 'Lena concedes everything. ');
    const { socket, firstMessage } = await rawSocket(`${s.ws}/${room}?token=${mallory}`);
    await firstMessage;
    let answered = false;
    let closed = false;
    socket.on('message', () => (answered = true));
    socket.on('close', () => (closed = true));
    socket.send(updateFrame(forged!));
    socket.send(syncStep1Frame());
    await waitFor(() => answered || closed, { what: 'the server to have handled the forged update' });

    lena.text.insert(lena.text.length, ' Clause 2: the river.');
    await waitFor(async () => (await storedContent(s, room)).text.includes('Clause 2: the river.'), { what: "Lena's next words stored" });
    expect((await storedContent(s, room)).text).not.toContain('concedes');
    await waitFor(() => contentString(ben.doc).includes('Clause 2: the river.'), { what: "Lena's next words at Ben" });
    expect(contentString(ben.doc)).not.toContain('concedes');
    socket.close();
  });

  it('is refused under the id of someone present who has not written yet: their first words are theirs', async () => {
    const s = await harness.start();
    const f = await createAgreement(s);
    const room = f.agreement.id;
    const mallory = await f.invite({ role: 'negotiator', name: 'Mallory', party: f.ngoId });
    const lena = harness.connect(s, room, await f.invite({ role: 'negotiator', name: 'Lena', party: f.businessId }));
    const ben = harness.connect(s, room, await f.invite({ role: 'negotiator', name: 'Ben', party: f.businessId }));
    await synced(lena);
    await synced(ben);
    ben.text.insert(0, 'Clause 1.');
    await waitFor(() => contentString(lena.doc).includes('Clause 1.'), { what: "Ben's clause at Lena" });
    // Lena's id is in her presence, which every client sees.
    lena.provider.awareness.setLocalStateField('user', { cursor: 'first' });
    await waitFor(() => ben.provider.awareness.getStates().has(lena.doc.clientID), { what: "Lena's presence at Ben" });

    const forge = new Y.Doc();
    Y.applyUpdate(forge, Y.encodeStateAsUpdate(ben.doc));
    forge.clientID = lena.doc.clientID;
    let forged: Uint8Array | undefined;
    forge.on('update', (update: Uint8Array) => (forged = update));
    paragraphText(forge).insert(0, 'Lena concedes everything. ');
    const { socket, firstMessage } = await rawSocket(`${s.ws}/${room}?token=${mallory}`);
    await firstMessage;
    let answered = false;
    let closed = false;
    socket.on('message', () => (answered = true));
    socket.on('close', () => (closed = true));
    socket.send(updateFrame(forged!));
    socket.send(syncStep1Frame());
    await waitFor(() => answered || closed, { what: 'the server to have handled the forged update' });

    lena.text.insert(lena.text.length, ' Clause 2: the river.');
    await waitFor(async () => (await storedContent(s, room)).text.includes('Clause 2: the river.'), { what: "Lena's first words stored" });
    expect((await storedContent(s, room)).text).not.toContain('concedes');
    expect(contentString(lena.doc)).not.toContain('concedes');
    socket.close();
  });
});
