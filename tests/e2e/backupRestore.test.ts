import { cp, rm } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { api, createAgreement, removeDir, stoppableServer, tempDir } from '../support/server';
import { DIST, editorText, typeAtEnd, useStage, waitForConnection, waitForText } from './browser';

// The server's data folder put back from an older backup while people have the agreement open.
const stage = useStage();

it('after the server is restored from an older backup, an open page shows what the server holds, not records it no longer has; its text comes back', async () => {
  const dataDir = await tempDir();
  const backup = await tempDir();
  const server = await stoppableServer({ dataDir, staticDir: DIST, authSecret: 'e2e-backup-secret-e2e-backup-secret' });
  const { http } = server;
  try {
    const fx = await createAgreement({ http });
    const url = `${http}/a/${fx.agreement.id}#token=${fx.brokerToken}`;
    const broker = await stage.join(url);
    await typeAtEnd(broker.page, 'In the backup.');
    const phase = broker.page.getByTestId('phase');
    await phase.waitFor();
    expect(await phase.getAttribute('data-phase')).toBe('scoping');

    // The backup: taken with the server stopped, as its files stand.
    await server.stop();
    await cp(dataDir, backup, { recursive: true });
    await server.start();
    await waitForConnection(broker.page, 'live', 20_000);
    await typeAtEnd(broker.page, ' Written after the backup.');
    expect((await api({ http }, 'POST', `/api/agreements/${fx.agreement.id}/phase`, { phase: 'managing' }, fx.brokerToken)).status).toBe(200);
    await expect.poll(() => phase.getAttribute('data-phase'), { timeout: 15_000 }).toBe('managing');

    // Restored from the backup: the phase change is gone from the server.
    await server.stop();
    await rm(dataDir, { recursive: true, force: true });
    await cp(backup, dataDir, { recursive: true });
    await server.start();
    await waitForConnection(broker.page, 'live', 20_000);

    const fresh = await stage.join(url);
    // The text: the open page had all of it, and gave the server back what the backup lacked.
    await waitForText(fresh.page, 'Written after the backup.', 20_000);
    expect(await fresh.page.getByTestId('phase').getAttribute('data-phase')).toBe('scoping');
    // The records: the open page shows what the server holds, as a page opened now does.
    await expect.poll(() => phase.getAttribute('data-phase'), { timeout: 15_000 }).toBe('scoping');
    expect(await editorText(broker.page)).toBe(await editorText(fresh.page));
  } finally {
    await server.stop();
    await removeDir(dataDir);
    await removeDir(backup);
  }
});
