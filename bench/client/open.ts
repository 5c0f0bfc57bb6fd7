// What run.ts and loadTimeline.ts both do: start the app's server, and open an agreement until it is usable.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
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
