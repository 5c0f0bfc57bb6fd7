import { expect, it } from 'vitest';
import { contentString, synced } from '../support/clients';
import { longAgreement, writeDocument } from '../support/document';
import { useHarness } from '../support/harness';
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
