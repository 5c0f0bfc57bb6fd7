import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { DIST, useStage, waitForConnection, waitForOfflineShell, waitForText, writeAtEnd } from './browser';
import { nextBuild } from '../support/nextBuild';
import { api, createAgreement, removeDir, stoppableServer, tempDir, type AgreementFixture, type StoppableServer } from '../support/server';
import { connectClient, contentString, synced } from '../support/clients';
import { waitFor } from '../support/poll';
import { contentRoom } from '#shared/rooms';

// An operator deploys a new version (a new build of the app, the old one's files gone) and restarts
// the server while people work. Their open pages still run the old app.
const stage = useStage();
const UPDATED = 'Common Ground has been updated; reload to keep working.';

interface Deploy {
  server: StoppableServer;
  fx: AgreementFixture;
  /** Nia's page, opened on the old build. */
  nia: Page;
  /** Stops the server, runs `meanwhile`, and starts it again serving the next build. */
  update(meanwhile?: () => Promise<void>): Promise<void>;
}

/** Nia's page opened on today's build, before a device stored the app (no service worker yet) unless `stored`. */
async function openBeforeDeploy({ stored = false } = {}): Promise<Deploy> {
  const dataDir = await tempDir();
  const next = await tempDir('cg-next-build-');
  await nextBuild(DIST, next);
  const server = await stoppableServer({ dataDir, staticDir: DIST, authSecret: 'e2e-update-secret-e2e-update-secret' });
  const context = await stage.browser.newContext({ viewport: { width: 1280, height: 900 }, serviceWorkers: stored ? 'allow' : 'block' });
  afterThis(async () => {
    await context.close();
    await server.stop();
    await Promise.all([removeDir(dataDir), removeDir(next)]);
  });
  const fx = await createAgreement(server);
  const token = await fx.invite({ role: 'negotiator', name: 'Nia Otieno', party: fx.ngoId });
  const nia = await context.newPage();
  await nia.goto(`${server.http}/a/${fx.agreement.id}#token=${token}`);
  await waitForConnection(nia, 'live');
  return {
    server,
    fx,
    nia,
    async update(meanwhile) {
      await server.stop();
      await meanwhile?.();
      await server.start({ staticDir: next });
      await waitForConnection(nia, 'live', 20_000);
    },
  };
}

const cleanups: (() => Promise<void>)[] = [];
const afterThis = (cleanup: () => Promise<void>) => cleanups.push(cleanup);
async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

/** The agreement's text as the server holds it, read by a stock client of the broker. */
async function serverText(server: StoppableServer, fx: AgreementFixture): Promise<string> {
  const client = connectClient(`${server.http.replace('http', 'ws')}/collab`, contentRoom(fx.agreement.id), fx.brokerToken);
  try {
    await synced(client);
    return contentString(client.doc);
  } finally {
    client.destroy();
  }
}

it('tells a page left open across an update to reload, and the reload opens the new version with the words typed meanwhile', async () => {
  try {
    const { server, fx, nia, update } = await openBeforeDeploy();
    const oldScript = await nia.locator('script[type="module"]').getAttribute('src');
    await writeAtEnd(nia, 'Before the update.');
    await update(async () => {
      await waitForConnection(nia, 'reconnecting');
      await writeAtEnd(nia, ' Typed while it was updated.');
    });
    await nia.getByTestId('app-updated').getByText(UPDATED).waitFor({ timeout: 15_000 });
    await waitFor(async () => (await serverText(server, fx)).includes('Before the update. Typed while it was updated.'), {
      timeoutMs: 15_000,
      what: 'the words typed across the update at the server',
    });

    await nia.getByTestId('app-updated').getByRole('button', { name: 'Reload' }).click();
    await waitFor(
      async () =>
        (await nia
          .locator('script[type="module"]')
          .getAttribute('src')
          .catch(() => oldScript)) !== oldScript,
      {
        timeoutMs: 15_000,
        what: 'the new version loaded',
      },
    );
    await waitForText(nia, 'Before the update. Typed while it was updated.');
    await waitForConnection(nia, 'live');
    expect(await nia.getByTestId('app-updated').count()).toBe(0);
  } finally {
    await cleanUp();
  }
});

it('says so where a view that loads on demand cannot load after an update, and keeps the agreement on screen', async () => {
  try {
    const { server, fx, nia, update } = await openBeforeDeploy();
    const snapshot = await api(server, 'POST', `/api/agreements/${fx.agreement.id}/snapshots`, { label: 'Before the update' }, fx.brokerToken);
    expect(snapshot.status).toBe(201);
    await update();

    // The broker, on the new version, starts a session: the old page's bar for it is a chunk of the old build.
    const path = `/api/agreements/${fx.agreement.id}/sessions`;
    const planned = await api<{ id: string }>(
      server,
      'POST',
      path,
      { title: 'Kickoff', agenda: [{ kind: 'free', title: 'Introductions', plannedMinutes: 10 }] },
      fx.brokerToken,
    );
    expect((await api(server, 'POST', `${path}/${planned.body.id}/start`, {}, fx.brokerToken)).status).toBe(200);
    const bar = nia.getByTestId('app-update-part').filter({ hasText: 'the live session' });
    await bar.waitFor({ timeout: 15_000 });
    expect(await bar.textContent()).toBe('The live session cannot be shown: Common Ground has been updated; reload to keep working.');
    expect(await nia.getByTestId('part-error').count()).toBe(0);

    await nia.getByTestId('history-panel').getByTestId('snapshot-item').first().getByRole('button', { name: 'Open' }).click();
    await nia.locator('.history-overlay').getByTestId('app-update-part').waitFor({ timeout: 15_000 });
    expect(await nia.locator('.history-overlay').getByTestId('app-update-part').textContent()).toBe(
      'The snapshot cannot be shown: Common Ground has been updated; reload to keep working.',
    );
    await nia.getByRole('button', { name: 'Close' }).click();
    expect(await nia.locator('.ProseMirror').isVisible()).toBe(true);
  } finally {
    await cleanUp();
  }
});

it('stores the new version on the device once a page of it opens, so it opens offline as a whole, and drops the old one', async () => {
  try {
    const { server, nia, update } = await openBeforeDeploy({ stored: true });
    await waitForOfflineShell(nia);
    await update();
    await nia.reload();
    await waitForConnection(nia, 'live');
    const newScript = await nia.locator('script[type="module"]').getAttribute('src');
    // Every file of the new build is kept (its home page's code too, which the agreement page never loaded), none of the old.
    const stored = () =>
      nia.evaluate(async () =>
        (await Promise.all((await caches.keys()).map(async (name) => (await caches.open(name)).keys()))).flat().map((r) => new URL(r.url).pathname),
      );
    const oldAndNew = async () => {
      const paths = (await stored()).filter((path) => path.startsWith('/assets/'));
      return {
        old: paths.filter((path) => !path.includes('.next.')),
        newHome: paths.some((path) => /\/HomePage-.*\.next\.js$/.test(path)),
        newEntry: paths.includes(newScript ?? ''),
      };
    };
    await waitFor(async () => JSON.stringify(await oldAndNew()) === JSON.stringify({ old: [], newHome: true, newEntry: true }), {
      timeoutMs: 30_000,
      what: 'the new build stored on the device, the old one dropped',
    }).catch(async (err: unknown) => {
      throw new Error(`${String(err)}: ${JSON.stringify(await oldAndNew())}`);
    });

    await nia.context().setOffline(true);
    await nia.goto(`${server.http}/`);
    await nia.getByTestId('held-agreements').waitFor({ timeout: 15_000 });
    await nia.context().setOffline(false);
  } finally {
    await cleanUp();
  }
});
