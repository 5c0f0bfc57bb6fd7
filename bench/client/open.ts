// What run.ts and loadTimeline.ts both do: start the app's server, and open an agreement until it is usable.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { contentRoom } from '../../shared/src/rooms';
import type { Fixture } from './agreement';

/** Starts the server of the app in `checkout` on a free port, its data in `dataDir`. */
export async function startServer(dataDir: string, checkout: string): Promise<{ http: string; child: ChildProcess }> {
  // BENCH_SERVER_PROFILE=dir: the server writes a CPU profile of its whole run there when it stops.
  const profile = process.env.BENCH_SERVER_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_SERVER_PROFILE] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', 'server/src/main.ts'], {
    cwd: checkout,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn', AUTH_SECRET: 'bench-secret-bench-secret-bench-secret' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const http = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
  return { http, child };
}

/**
 * Stops a server from startServer and removes its data. The server may still be writing its logs:
 * it is waited for before its data goes (removing it under a live server failed once with ENOTEMPTY
 * and lost every run's figures).
 */
export async function stopServer(child: ChildProcess, dataDir: string): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
}

/**
 * Opens the agreement as the measured person and waits until its last block is shown in an editable
 * editor: the cold load's end, as the page's performance.now().
 */
export async function openUntilUsable(page: Page, fixture: Fixture): Promise<number> {
  await page.goto(`${fixture.http}/a/${fixture.id}#token=${fixture.pageToken}`);
  const usable = await page.waitForFunction(
    (end) => {
      const editor = document.querySelector('.ProseMirror[contenteditable="true"]');
      return editor?.lastElementChild?.textContent?.includes(end) ? performance.now() : false;
    },
    fixture.endMark,
    { polling: 'raf', timeout: 120_000 },
  );
  return (await usable.jsonValue()) as number;
}

/**
 * A person's own browser profile, as their return visits run in: a folder of its own, removed by
 * `close`. Not a context of a launched browser: those are private windows, and Chromium keeps no
 * compiled code for a private window's scripts, so a return visit there compiles the app afresh
 * (60 pages: usable at 2.7 to 3.1 s on the third to fifth visit, against 1.5 to 1.8 s in a profile).
 */
export async function personalProfile(args: string[]): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args,
    viewport: { width: 1280, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}

/**
 * Opens the agreement and stays until the visit left what a person's first visit of minutes leaves:
 * this device's copy of the text grown to its size, and the app stored by its service worker (it
 * installs once the agreement is shown and the person pauses, client/src/offlineShell.ts). Closes
 * the page. Returns the copy's size in bytes.
 */
export async function visitUntilStored(page: Page, fixture: Fixture): Promise<number> {
  await openUntilUsable(page, fixture);
  const storedBytes = () =>
    page.evaluate(
      // A fresh profile holds one copy of the text: the person's (`cg:<room>:<person>`, client/src/session/deviceCopyName.ts).
      async (prefix) => {
        const db = (await indexedDB.databases()).find((known) => known.name?.startsWith(prefix))?.name;
        if (!db) return 0;
        return new Promise<number>((done) => {
          const open = indexedDB.open(db);
          open.onsuccess = () => {
            const read = open.result.transaction('updates').objectStore('updates').getAll();
            read.onsuccess = () => {
              open.result.close();
              done((read.result as Uint8Array[]).reduce((bytes, record) => bytes + record.byteLength, 0));
            };
          };
        });
      },
      `cg:${contentRoom(fixture.id)}`,
    );
  let last = -1;
  for (let tries = 0; tries < 100; tries++) {
    const bytes = await storedBytes();
    if (bytes > 0 && bytes === last) break;
    last = bytes;
    await page.waitForTimeout(500);
  }
  // An async check polled from here: waitForFunction would take its promise as true.
  for (let tries = 0; tries < 120; tries++) {
    if (await page.evaluate(async () => !!navigator.serviceWorker.controller && !!(await caches.match('/index.html')))) break;
    await page.waitForTimeout(250);
  }
  await page.close();
  return last;
}
