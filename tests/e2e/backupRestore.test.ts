import { cp, rm } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { buildApp } from '../../server/src/app';
import { api, createAgreement, removeDir, tempDir } from '../support/server';
import { DIST, editorText, typeAtEnd, useStage, waitForConnection, waitForText } from './browser';

// The server's data folder put back from an older backup while people have the agreement open.
const stage = useStage();

it('after the server is restored from an older backup, an open page shows what the server holds, not records it no longer has; its text comes back', async () => {
  const dataDir = await tempDir();
  const backup = await tempDir();
  const config = { dataDir, staticDir: DIST, logLevel: false as const, authSecret: 'e2e-backup-secret-e2e-backup-secret' };
  let app = await buildApp(config);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('server has no port');
  const http = `http://127.0.0.1:${address.port}`;
  try {
    const fx = await createAgreement({ http });
    const url = `${http}/a/${fx.agreement.id}#token=${fx.brokerToken}`;
    const broker = await stage.join(url);
    await typeAtEnd(broker.page, 'In the backup.');
    const phase = broker.page.getByTestId('phase');
    await phase.waitFor();
    expect(await phase.getAttribute('data-phase')).toBe('scoping');

    // The backup: taken with the server stopped, as its files stand.
    await app.close();
    await cp(dataDir, backup, { recursive: true });
    app = await buildApp(config);
    await app.listen({ port: address.port, host: '127.0.0.1' });
    await waitForConnection(broker.page, 'live', 20_000);
    await typeAtEnd(broker.page, ' Written after the backup.');
    expect((await api({ http }, 'POST', `/api/agreements/${fx.agreement.id}/phase`, { phase: 'managing' }, fx.brokerToken)).status).toBe(200);
    await expect.poll(() => phase.getAttribute('data-phase'), { timeout: 15_000 }).toBe('managing');

    // Restored from the backup: the phase change is gone from the server.
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
    await cp(backup, dataDir, { recursive: true });
    app = await buildApp(config);
    await app.listen({ port: address.port, host: '127.0.0.1' });
    await waitForConnection(broker.page, 'live', 20_000);

    const fresh = await stage.join(url);
    // The text: the open page had all of it, and gave the server back what the backup lacked.
    await waitForText(fresh.page, 'Written after the backup.', 20_000);
    expect(await fresh.page.getByTestId('phase').getAttribute('data-phase')).toBe('scoping');
    // The records: the open page shows what the server holds, as a page opened now does.
    await expect.poll(() => phase.getAttribute('data-phase'), { timeout: 15_000 }).toBe('scoping');
    expect(await editorText(broker.page)).toBe(await editorText(fresh.page));
  } finally {
    await app.close();
    await removeDir(dataDir);
    await removeDir(backup);
  }
});
