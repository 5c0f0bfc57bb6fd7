import { describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import { awarenessEntries } from '../../server/src/rooms/awarenessGuard';
import { contentString, rawSocket, synced, type TestClient } from '../support/clients';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { malloryAndTwo } from './support/people';
import { awarenessFrame, updateFrame, writtenAs } from './support/payloads';

// Lena's network blips and her stock provider reconnects. The moment the server told everyone her
// presence was gone, Mallory (another party's negotiator) announced presence under Lena's client
// id with a clock of 2^40, and the server let her: an id belonged to whichever connection held it
// now. Back, Lena's presence was ignored (Ben saw "Mallory" under her id) and everything she typed
// was refused as "writing under another person's client id": her screen showed her words, nobody
// got them. An id shown for one person is that person's for as long as the room is open.
const harness = useHarness();

/** The name each presence under `clientId` was shown with at `client`, in order. */
function namesShown(client: TestClient, clientId: number): (string | undefined)[] {
  const names: (string | undefined)[] = [];
  client.provider.awareness.on('change', ({ added, updated }: { added: number[]; updated: number[] }) => {
    if ([...added, ...updated].includes(clientId))
      names.push((client.provider.awareness.getStates().get(clientId)?.user as { name?: string } | undefined)?.name);
  });
  return names;
}

/** Runs `react` once, when the server tells `socket` that `clientId`'s presence is gone. */
function onRemoval(socket: WebSocket, clientId: number, react: () => void): { reacted: boolean } {
  const seen = { reacted: false };
  socket.on('message', (data: Buffer) => {
    const decoder = decoding.createDecoder(new Uint8Array(data));
    if (seen.reacted || decoding.readVarUint(decoder) !== 1) return;
    if (!awarenessEntries(decoding.readVarUint8Array(decoder)).some((e) => e.clientId === clientId && e.removes)) return;
    seen.reacted = true;
    react();
  });
  return seen;
}

describe("presence under another person's client id", () => {
  for (const forge of [false, true]) {
    it(`cannot be claimed while its person reconnects${forge ? ', nor a forged write under it block them' : ''}: back, their presence is theirs and their words reach the others`, async () => {
      const { s, room, mallory, lena, ben } = await malloryAndTwo(harness, 'ben');
      const victim = lena.doc.clientID;
      lena.provider.awareness.setLocalStateField('user', { cursor: 'here' });
      await waitFor(() => ben.provider.awareness.getStates().get(victim)?.user?.name === 'Lena', { what: "Lena's presence at Ben" });
      const shown = namesShown(ben, victim);

      const squatter = await rawSocket(`${s.ws}/${room}?token=${mallory}`);
      harness.defer(() => squatter.socket.close());
      await squatter.firstMessage; // in the room: it hears what the others hear
      const squat = onRemoval(squatter.socket, victim, () => {
        squatter.socket.send(awarenessFrame(victim, 2 ** 40, { cursor: null }));
        if (forge) squatter.socket.send(updateFrame(writtenAs(ben.doc, victim, 'Lena concedes everything. ')));
      });
      // Lena's network blips: the socket closes under the stock provider, which reconnects by itself.
      (lena.provider.ws as unknown as WebSocket).close();
      await waitFor(() => squat.reacted, { what: "Mallory saw Lena's removal and claimed her id" });
      await waitFor(() => lena.closes.length === 1 && lena.provider.wsconnected && lena.provider.synced, { what: 'Lena back' });

      lena.text.insert(lena.text.length, ' Clause 2: the river.');
      await waitFor(() => contentString(ben.doc).includes('Clause 2: the river.'), {
        what: `Lena's words at Ben (Ben has ${contentString(ben.doc)}; shown under her id: ${JSON.stringify(shown)})`,
      });
      await waitFor(() => ben.provider.awareness.getStates().get(victim)?.user?.name === 'Lena', {
        what: `Lena's presence shown as hers again (shown: ${JSON.stringify(shown)})`,
      });
      expect(shown).not.toContain('Mallory');
      expect(contentString(ben.doc)).not.toContain('concedes');
      expect(contentString(lena.doc)).not.toContain('concedes');
      expect(lena.closes).toHaveLength(1); // her blip, nothing after
    }, 30_000);
  }

  it('cannot be claimed while the room is closed either: back from offline, the person sends what they wrote meanwhile and is shown as themselves', async () => {
    const { s, f, room, mallory, lena, ben } = await malloryAndTwo(harness, 'ben');
    const victim = lena.doc.clientID;
    lena.provider.awareness.setLocalStateField('user', { cursor: 'here' });
    await waitFor(() => ben.provider.awareness.getStates().get(victim)?.user?.name === 'Lena', { what: "Lena's presence at Ben" });
    // Lena's laptop goes offline with words she has not sent (her id has written nothing the server holds yet),
    // and Ben leaves: with nobody connected, the room unloads.
    lena.provider.disconnect();
    lena.text.insert(lena.text.length, ' Clause 2: the river.');
    ben.destroy();
    await waitFor(() => !s.app.ctx.rooms.openRoomNames().includes(room), { timeoutMs: 10_000, what: 'the room unloaded' });

    // Mallory comes first and announces presence under Lena's id, then under an id of her own.
    const reader = harness.connect(s, room, await f.invite({ role: 'negotiator', name: 'Bea', party: f.businessId }));
    await synced(reader);
    const shown = namesShown(reader, victim);
    const squatter = await rawSocket(`${s.ws}/${room}?token=${mallory}`);
    harness.defer(() => squatter.socket.close());
    await squatter.firstMessage;
    squatter.socket.send(awarenessFrame(victim, 2 ** 40, { cursor: null }));
    squatter.socket.send(awarenessFrame(424242, 1, { cursor: null }));
    // A connection's messages are handled in order: once her own shows, her claim was handled.
    await waitFor(() => reader.provider.awareness.getStates().has(424242), { what: "Mallory's own presence at Bea" });

    lena.provider.connect();
    await waitFor(() => contentString(reader.doc).includes('Clause 2: the river.'), {
      what: `Lena's offline words at Bea (Bea has ${contentString(reader.doc)})`,
    });
    lena.provider.awareness.setLocalStateField('user', { cursor: 'back' });
    await waitFor(() => reader.provider.awareness.getStates().get(victim)?.user?.name === 'Lena', {
      what: `Lena's presence shown as hers (shown: ${JSON.stringify(shown)})`,
    });
    expect(shown).not.toContain('Mallory');
  }, 30_000);

  it("cannot be claimed after the server timed it out either, and the person's next presence is shown as theirs", async () => {
    const { s, room, mallory, lena, ben } = await malloryAndTwo(harness, 'ben');
    const victim = lena.doc.clientID;
    // Lena's tab stops renewing its presence (a throttled tab) and the server times it out.
    clearInterval((lena.provider.awareness as unknown as { _checkInterval: ReturnType<typeof setInterval> })._checkInterval);
    lena.provider.awareness.setLocalStateField('user', { cursor: 'here' });
    await waitFor(() => ben.provider.awareness.getStates().get(victim)?.user?.name === 'Lena', { what: "Lena's presence at Ben" });
    const shown = namesShown(ben, victim);
    const squatter = await rawSocket(`${s.ws}/${room}?token=${mallory}`);
    harness.defer(() => squatter.socket.close());
    await squatter.firstMessage;
    const squat = onRemoval(squatter.socket, victim, () => {
      squatter.socket.send(awarenessFrame(victim, 2 ** 40, { cursor: null }));
      squatter.socket.send(updateFrame(writtenAs(ben.doc, victim, 'Lena concedes everything. ')));
    });
    await s.app.ctx.rooms.with(room, (r) => {
      r.awareness.meta.get(victim)!.lastUpdated -= 31_000;
    });
    await waitFor(() => squat.reacted, { timeoutMs: 10_000, what: 'the server timed Lena out and Mallory claimed her id' });

    lena.provider.awareness.setLocalStateField('user', { cursor: 'back' });
    lena.text.insert(lena.text.length, ' Clause 2: the river.');
    await waitFor(() => contentString(ben.doc).includes('Clause 2: the river.'), {
      what: `Lena's words at Ben (shown under her id: ${JSON.stringify(shown)})`,
    });
    await waitFor(() => ben.provider.awareness.getStates().get(victim)?.user?.name === 'Lena', {
      what: `Lena's presence back (shown: ${JSON.stringify(shown)})`,
    });
    expect(shown).not.toContain('Mallory');
    expect(contentString(ben.doc)).not.toContain('concedes');
    expect(lena.closes).toEqual([]);
  }, 30_000);
});
