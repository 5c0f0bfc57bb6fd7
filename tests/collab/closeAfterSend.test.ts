import { expect, it } from 'vitest';
import { contentString, synced, writeOnOpenAndLeave } from '../support/clients';
import { longAgreement, writeDocument } from '../support/document';
import { useHarness } from '../support/harness';
import { holdCalls } from '../support/heldCalls';
import { waitFor } from '../support/poll';
import { createAgreement } from '../support/server';

const h = useHarness();

// What reached the server before a connection's close is the writer's work: a program that writes
// and disconnects (an import script), or a person who pastes and closes the tab, keeps no copy the
// server will ask for again. A big update is measured off the event loop first (UpdateGate), and
// the close used to drop it while it was being measured.
it('a client that sends a long text and disconnects at once loses none of it: the server stores and relays it', async () => {
  const s = await h.start();
  const f = await createAgreement(s);
  const reviewer = await f.invite({ role: 'negotiator', name: 'Ben', party: f.businessId });
  const writer = h.connect(s, f.agreement.id, f.brokerToken);
  await synced(writer);

  // Twenty pages in one update (about 85 KB), then the close: the stock client sends both in order.
  writeDocument(writer.doc, longAgreement(20));
  const wanted = contentString(writer.doc);
  writer.provider.disconnect();

  const reader = h.connect(s, f.agreement.id, reviewer);
  await synced(reader);
  await waitFor(() => contentString(reader.doc) === wanted, { timeoutMs: 10_000, what: 'the long text at another client' });

  // Stored, not only relayed: a restarted server serves it.
  h.destroyClients();
  await s.close();
  const restarted = await h.start({ dataDir: s.dataDir });
  const later = h.connect(restarted, f.agreement.id, reviewer);
  await synced(later, 10_000);
  expect(contentString(later.doc)).toBe(wanted);
});

// The same before the server has let the connection into its room: its token is checked and the room
// loaded first (a few milliseconds), and what arrives meanwhile waits. A program that writes as soon as
// its socket opens and disconnects at once (the stock client sends a change at once when its socket is
// open) lost it when the close came in that window.
it('a client that writes as its socket opens and disconnects at once, before the server let it in, loses nothing', async () => {
  // Two places a person: a connection let in after its close must give its place back.
  const s = await h.start({ maxConnectionsPerPerson: 2 });
  const f = await createAgreement(s);
  const reviewer = await f.invite({ role: 'negotiator', name: 'Ben', party: f.businessId });
  const written: string[] = [];
  for (let round = 0; round < 3; round++) {
    // Nothing of the agreement in memory: its room is loaded from storage for this connection, and the
    // load is held until the server has seen the close, so the clause waits for the setup every time.
    const load = holdCalls(s.app.ctx.storage, 'loadRoom', 1);
    h.defer(() => load.release());
    const writer = h.connect(s, f.agreement.id, f.brokerToken, { connect: false });
    const line = `Clause ${round + 1}, sent before the server answered.`;
    written.push(line);
    await writeOnOpenAndLeave(writer, line);
    writer.destroy();
    await waitFor(() => s.app.websocketServer.clients.size === 0, { what: 'the server saw the writer close' });
    await load.release();
    // What is promised is for a connection let in. A closed one holds its place until its clause is in,
    // so a writer back sooner may be over its limit, and a connection refused (4129) takes nothing: its
    // client sends it again when it next connects (this one is destroyed). Under CPU load the third
    // writer was refused while the first two waited for the room to load. So each round waits until the
    // room has stored its clause and unloaded (the places are given back before that).
    await waitFor(() => s.app.ctx.rooms.openRooms === 0, { timeoutMs: 10_000, what: 'the room stored and unloaded' });
  }

  const reader = h.connect(s, f.agreement.id, reviewer);
  await synced(reader);
  await waitFor(() => written.every((line) => contentString(reader.doc).includes(line)), {
    timeoutMs: 10_000,
    what: 'every clause at another client',
  });
  // The writer's places were all given back: it can hold its two again.
  const again = [h.connect(s, f.agreement.id, f.brokerToken), h.connect(s, f.agreement.id, f.brokerToken)];
  await Promise.all(again.map((client) => synced(client)));
});
