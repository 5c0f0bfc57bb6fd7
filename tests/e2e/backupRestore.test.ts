import { cp, rm } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { waitForAuthors } from '../support/authorship';
import { api, createAgreement, removeDir, stoppableServer, tempDir, type StoppableServer } from '../support/server';
import { DIST, deviceCopy, editorText, useStage, waitForConnection, waitForStoredLocally, waitForText, writeAtEnd } from './browser';

// The server's data folder put back from an older backup while people have the agreement open.
const stage = useStage();

/** A server of the built app whose data folder a test backs up (taken with the server stopped, as its files stand) and puts back. */
async function withBackups(test: (server: StoppableServer & { backUp(): Promise<void>; restore(): Promise<void> }) => Promise<void>): Promise<void> {
  const dataDir = await tempDir();
  const backup = await tempDir();
  const server = await stoppableServer({ dataDir, staticDir: DIST, authSecret: 'e2e-backup-secret-e2e-backup-secret' });
  try {
    await test({
      ...server,
      async backUp() {
        await server.stop();
        await cp(dataDir, backup, { recursive: true });
        await server.start();
      },
      async restore() {
        await server.stop();
        await rm(dataDir, { recursive: true, force: true });
        await cp(backup, dataDir, { recursive: true });
        await server.start();
      },
    });
  } finally {
    await server.stop();
    await removeDir(dataDir);
    await removeDir(backup);
  }
}

it('after the server is restored from an older backup, an open page shows what the server holds, not records it no longer has; its text comes back', async () => {
  await withBackups(async (server) => {
    const { http } = server;
    const fx = await createAgreement({ http });
    const url = `${http}/a/${fx.agreement.id}#token=${fx.brokerToken}`;
    const broker = await stage.join(url);
    await writeAtEnd(broker.page, 'In the backup.');
    const phase = broker.page.getByTestId('phase');
    await phase.waitFor();
    expect(await phase.getAttribute('data-phase')).toBe('scoping');

    await server.backUp();
    await waitForConnection(broker.page, 'live', 20_000);
    await writeAtEnd(broker.page, ' Written after the backup.');
    expect((await api({ http }, 'POST', `/api/agreements/${fx.agreement.id}/phase`, { phase: 'managing' }, fx.brokerToken)).status).toBe(200);
    await expect.poll(() => phase.getAttribute('data-phase'), { timeout: 15_000 }).toBe('managing');

    // Restored from the backup: the phase change is gone from the server.
    await server.restore();
    await waitForConnection(broker.page, 'live', 20_000);

    const fresh = await stage.join(url);
    // The text: the open page had all of it, and gave the server back what the backup lacked.
    await waitForText(fresh.page, 'Written after the backup.', 20_000);
    expect(await fresh.page.getByTestId('phase').getAttribute('data-phase')).toBe('scoping');
    // The records: the open page shows what the server holds, as a page opened now does.
    await expect.poll(() => phase.getAttribute('data-phase'), { timeout: 15_000 }).toBe('scoping');
    expect(await editorText(broker.page)).toBe(await editorText(fresh.page));
  });
});

// Words the server lost come back from whichever page resyncs first; they were credited to that
// page's person. Now they are nobody's ("Unknown") until their writer's page names the id they carry.
it("words the restore lost come back from Ben's open page credited to nobody, and are Nia's once she opens the agreement again on her device", async () => {
  await withBackups(async (server) => {
    const { http } = server;
    const fx = await createAgreement({ http });
    const nia = await fx.invite({ role: 'negotiator', name: 'Nia Otieno', party: fx.ngoId });
    const ben = await fx.invite({ role: 'negotiator', name: 'Ben Kamau', party: fx.businessId });
    const url = (token: string) => `${http}/a/${fx.agreement.id}#token=${token}`;
    const before = await api<{ id: string }>({ http }, 'POST', `/api/agreements/${fx.agreement.id}/snapshots`, { label: 'Before' }, fx.brokerToken);
    await server.backUp();

    const niaPerson = await stage.join(url(nia));
    const benPerson = await stage.join(url(ben));
    const words = 'Words of Nia after the backup.';
    await writeAtEnd(niaPerson.page, words);
    await waitForText(benPerson.page, words);
    await waitForStoredLocally(niaPerson.page, deviceCopy(fx.agreement.id, nia), words);
    await niaPerson.page.close();

    // Restored (the restart also forgets whose presence each id was); Ben's page is back first.
    await server.restore();
    await waitForConnection(benPerson.page, 'live', 20_000);
    const diff = { agreementId: fx.agreement.id, from: before.body.id, token: fx.brokerToken };
    const authors = (what: string, until: (by: Record<string, string>) => boolean) => waitForAuthors({ http }, diff, what, until, { timeoutMs: 20_000 });
    expect(await authors("Nia's words back on the server", (by) => Object.values(by).join('').includes(words))).toEqual({ Unknown: words });

    // Nia opens the agreement again on her device: a new page, with a new client id, that names the one her words carry.
    const again = await niaPerson.context.newPage();
    await again.goto(url(nia));
    await waitForConnection(again, 'live', 20_000);
    expect(await authors("Nia's words credited to her", (by) => by['Nia Otieno'] === words)).toEqual({ 'Nia Otieno': words });
  });
});
