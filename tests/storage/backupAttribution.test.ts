import { cp, rm } from 'node:fs/promises';
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { contentString, synced } from '../support/clients';
import { useHarness } from '../support/harness';
import { api, createAgreement } from '../support/server';
import { waitFor } from '../support/poll';
import { ownDeletions, waitForAuthors } from '../support/authorship';
import type { DeleteSet } from '#shared/deleteSets';

const h = useHarness();

// Text the server lost (its data put back from an older backup, or the last moments before a power
// cut) comes back from whichever page resyncs first. The authorship log credited it to that page's
// person: a comparison, redline or export then said Ben wrote Nia's words. A page's sync answer holds
// its own unsent edits and others' lost words under ids that look alike, so the server now credits an
// id it does not know only to a person who names it (the app's client names the ids it wrote with) or
// whose presence id it is (a stock client's), and otherwise to nobody ("Unknown") until its writer does.

const NIAS_WORDS = 'Words of Nia after the backup.';
const BENS_WORDS = ' Ben adds this offline.';

/**
 * Nia writes after a backup (Ben's page receives her words), the server stops, Ben writes a few
 * words of his own while it is away, and the server's data is put back from the backup. Ben's page
 * comes back first; Nia's is still closed. With `inBackup`, the text held that (by Nia) when the
 * backup was taken, and Nia deleted it after.
 */
async function restoredWithBenBackFirst({ inBackup }: { inBackup?: string } = {}) {
  const dir = await h.tempDir('cg-backup-');
  const backup = await h.tempDir('cg-backup-');
  let child = await h.child(dir);
  const f = await createAgreement(child);
  const path = `/api/agreements/${f.agreement.id}`;
  const niaToken = await f.invite({ role: 'negotiator', name: 'Nia Otieno', party: f.ngoId });
  const benToken = await f.invite({ role: 'negotiator', name: 'Ben Kamau', party: f.businessId });
  if (inBackup) {
    const writer = h.connect(child, f.agreement.id, niaToken);
    const reader = h.connect(child, f.agreement.id, benToken);
    await synced(writer);
    writer.text.insert(0, inBackup);
    // Relayed only once stored.
    await waitFor(() => contentString(reader.doc).includes(inBackup), { what: 'the text of the backup stored' });
    writer.destroy();
    reader.destroy();
  }
  const before = await api<{ id: string }>(child, 'POST', `${path}/snapshots`, { label: 'Backup' }, f.brokerToken);
  const port = new URL(child.http).port;
  await child.kill('SIGTERM');
  await cp(dir, backup, { recursive: true });

  child = await h.child(dir, { PORT: port });
  const nia = h.connect(child, f.agreement.id, niaToken);
  const niaDeleted = ownDeletions(nia.doc);
  const ben = h.connect(child, f.agreement.id, benToken);
  await synced(nia);
  await synced(ben);
  if (inBackup) nia.text.delete(0, inBackup.length);
  nia.text.insert(0, NIAS_WORDS);
  await waitFor(() => contentString(ben.doc).includes('Words of Nia'), { what: "Nia's words at Ben's" });
  nia.provider.disconnect();
  ben.provider.disconnect();
  await child.kill('SIGTERM');
  ben.text.insert(ben.text.length, BENS_WORDS);

  // Put back from the backup; Ben's page comes back first.
  await rm(dir, { recursive: true, force: true });
  await cp(backup, dir, { recursive: true });
  const restored = await h.child(dir, { PORT: port });
  ben.provider.connect();
  await synced(ben, 10_000);
  /** The comparison from the text of the backup to the live one, by who it says wrote (or deleted) what, once `until` holds. */
  const diff = { agreementId: f.agreement.id, from: before.body.id, token: f.brokerToken };
  const authors = (what: string, until: (by: Record<string, string>) => boolean, kind: 'insertion' | 'deletion' = 'insertion') =>
    waitForAuthors(restored, diff, what, until, { kind });
  return { child: restored, f, nia, niaToken, niaDeleted, benToken, authors };
}

it('text the server lost and got back from another person is not credited to that person: it is Unknown until its writer returns', async () => {
  const { nia, authors } = await restoredWithBenBackFirst();
  const backFromBen = await authors('the words back on the server', (by) =>
    ['Words of Nia', 'Ben adds'].every((words) => Object.values(by).join('').includes(words)),
  );
  expect(backFromBen['Ben Kamau']).not.toContain('Words of Nia');
  expect(backFromBen.Unknown).toBe(NIAS_WORDS);
  // What Ben's page had unsent under its own id is his, as before (the stock provider names nothing).
  expect(backFromBen['Ben Kamau']).toBe(BENS_WORDS);

  // Nia's page (the stock provider, same tab) comes back: its presence id is the id her words carry.
  nia.provider.connect();
  await synced(nia, 10_000);
  const credited = await authors("Nia's words credited to her", (by) => by['Nia Otieno'] === NIAS_WORDS);
  expect(credited.Unknown).toBeUndefined();
  expect(credited['Ben Kamau']).toBe(BENS_WORDS);
}, 90_000);

it('when Nia reopens the agreement later, her page names the id her words carry from its device copy, and they are hers', async () => {
  const { child, f, nia, niaToken, authors } = await restoredWithBenBackFirst();
  await authors("Nia's words back on the server, credited to nobody", (by) => by.Unknown === NIAS_WORDS);
  // A reload: a new page, with a new client id, holding the device copy of the old one.
  const deviceCopy = Y.encodeStateAsUpdate(nia.doc);
  const wroteWith = nia.doc.clientID;
  nia.destroy();
  const reloaded = h.connect(child, f.agreement.id, niaToken, { connect: false, namesWriters: () => [wroteWith] });
  Y.applyUpdate(reloaded.doc, deviceCopy);
  reloaded.provider.connect();
  await synced(reloaded, 10_000);
  const credited = await authors("Nia's words credited to her", (by) => by['Nia Otieno'] === NIAS_WORDS);
  expect(credited['Ben Kamau']).toBe(BENS_WORDS);
}, 90_000);

it("a person naming another person's client id moves no credit: the words stay their writer's", async () => {
  const { child, f, nia, benToken, authors } = await restoredWithBenBackFirst();
  nia.provider.connect();
  await synced(nia, 10_000);
  await authors("Nia's words credited to her", (by) => by['Nia Otieno'] === NIAS_WORDS);
  // Ben's hand-made page names Nia's id as one it wrote with, and writes on.
  const forger = h.connect(child, f.agreement.id, benToken, { namesWriters: () => [nia.doc.clientID] });
  await synced(forger, 10_000);
  forger.text.insert(forger.text.length, ' Forged.');
  const after = await authors("the forger's words in the comparison", (by) => (by['Ben Kamau'] ?? '').includes('Forged.'));
  expect(after['Nia Otieno']).toBe(NIAS_WORDS);
  expect(after.Unknown).toBeUndefined();
}, 90_000);

// A deletion the server lost came back the same way, credited to whoever's page brought it back: a
// redline said Ben struck the clause Nia struck (expected { 'Ben Kamau': 'Clause to strike.' } to deeply
// equal { Unknown: 'Clause to strike.' }). A delete set names no deleter, so the app's client names
// what its device deleted (MESSAGE_WRITER_DELETIONS), and a sync answer's deletions are its sender's
// only within that; the rest are nobody's until their deleter's page names them.
it("a deletion the server lost and got back from another person is not credited to that person; it is Nia's once her page names it", async () => {
  const { child, f, nia, niaToken, niaDeleted, authors } = await restoredWithBenBackFirst({ inBackup: 'Clause to strike.' });
  const deleted = await authors('the deletion back on the server', (by) => Object.values(by).join('').includes('Clause to strike.'), 'deletion');
  expect(deleted).toEqual({ Unknown: 'Clause to strike.' });

  // Nia reopens the agreement: her page names what her device deleted.
  const deviceCopy = Y.encodeStateAsUpdate(nia.doc);
  nia.destroy();
  const reloaded = h.connect(child, f.agreement.id, niaToken, { connect: false, namesDeletions: niaDeleted });
  Y.applyUpdate(reloaded.doc, deviceCopy);
  reloaded.provider.connect();
  await synced(reloaded, 10_000);
  expect(await authors('the deletion credited to Nia', (by) => by['Nia Otieno'] !== undefined, 'deletion')).toEqual({ 'Nia Otieno': 'Clause to strike.' });
}, 90_000);

it("what a page deleted while it could not reach the server is its person's if the page names it, and nobody's if it does not", async () => {
  const server = await h.start();
  const f = await createAgreement(server);
  const benToken = await f.invite({ role: 'negotiator', name: 'Ben Kamau', party: f.businessId });
  let bensDeletions: () => DeleteSet = () => Y.createDeleteSet();
  // Ben's page names what it deleted, as the app's client does; Carl's is the stock provider.
  const ben = h.connect(server, f.agreement.id, benToken, { connect: false, namesDeletions: () => bensDeletions() });
  bensDeletions = ownDeletions(ben.doc);
  ben.provider.connect();
  const carl = h.connect(server, f.agreement.id, await f.invite({ role: 'negotiator', name: 'Carl Stock', party: f.ngoId }));
  await synced(ben);
  await synced(carl);
  carl.text.insert(0, 'Ben strikes this. Carl strikes that.');
  await waitFor(() => contentString(ben.doc).includes('Carl strikes that.'), { what: 'the text at both' });
  const before = await api<{ id: string }>(server, 'POST', `/api/agreements/${f.agreement.id}/snapshots`, { label: 'Before' }, f.brokerToken);
  expect(before.status).toBe(201);

  ben.provider.disconnect();
  carl.provider.disconnect();
  ben.text.delete(0, 'Ben strikes this.'.length);
  carl.text.delete(carl.text.toString().indexOf('Carl'), 'Carl strikes that.'.length);
  ben.provider.connect();
  carl.provider.connect();
  const diff = { agreementId: f.agreement.id, from: before.body.id, token: f.brokerToken };
  const deleted = await waitForAuthors(server, diff, 'both deletions on the server', (by) => Object.values(by).join('').length >= 35, { kind: 'deletion' });
  expect(deleted).toEqual({ 'Ben Kamau': 'Ben strikes this.', Unknown: 'Carl strikes that.' });
}, 90_000);
