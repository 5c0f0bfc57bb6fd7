// What a person feels beyond typing on a long agreement: for each common action (compare two versions, open one,
// jump from the outline, copy the whole text, paste five pages, undo it, take a snapshot, switch to suggesting,
// scroll through), how long until its result shows and how long the page froze meanwhile (Chromium's long tasks).
//
//   npx tsx bench/client/actions.ts [--pages 40] [--reps 2] [--throttle 1] [--no-build]
//
// A map of where the page freezes, not a figure of the budget.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { chromium, type Page } from 'playwright-core';
import { fillAgreement, type Fixture } from './agreement';
import { openUntilUsable, startServer, stopServer } from './open';
import { childTypes, contentFragment } from '../../shared/src/anchors';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : fallback;
};
const pages = Number(option('--pages', '40'));
const reps = Number(option('--reps', '2'));
const throttle = Number(option('--throttle', '1'));
const root = join(import.meta.dirname, '../..');

interface Measured {
  action: string;
  /** From the action's start until its result shows, ms. */
  shown: number;
  /** The longest task from the action's start until the page is quiet again, ms. */
  longest: number;
  /** Sum over those tasks of their time past 50 ms (total blocking time), ms. */
  blocking: number;
}

async function snapshot(fixture: Fixture, label: string): Promise<void> {
  const response = await fetch(`${fixture.http}/api/agreements/${fixture.id}/snapshots`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${fixture.brokerToken}` },
    body: JSON.stringify({ label }),
  });
  if (!response.ok) throw new Error(`snapshot: ${response.status} ${await response.text()}`);
}

/** A negotiator's stock client rewords one paragraph in three: the changes a comparison shows. */
async function reword(fixture: Fixture): Promise<void> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(fixture.ws, fixture.id, doc, {
    params: { token: fixture.typistTokens[0] },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  await new Promise<void>((resolve) => provider.once('sync', () => resolve()));
  let i = 0;
  doc.transact(() => {
    for (const block of childTypes(contentFragment(doc))) {
      if (!(block instanceof Y.XmlElement) || block.nodeName !== 'paragraph' || i++ % 3 !== 0) continue;
      const text = block.get(0);
      if (text instanceof Y.XmlText && text.length > 40) {
        text.delete(10, 12);
        text.insert(20, 'within the agreed budget ');
      }
    }
  });
  // Wait until the server has it: a second client reads it back.
  const check = new Y.Doc();
  const reader = new WebsocketProvider(fixture.ws, fixture.id, check, {
    params: { token: fixture.brokerToken },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  for (let t = 0; t < 600; t++) {
    if (contentFragment(check).toString().includes('within the agreed budget')) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  reader.destroy();
  provider.destroy();
}

async function measure(page: Page, action: string, act: () => Promise<void>): Promise<Measured> {
  const t0 = await page.evaluate(() => performance.now());
  await act();
  const t1 = await page.evaluate(() => performance.now());
  // Quiet: a second with no long task (at most 20 s).
  await page.waitForFunction(
    () => {
      const l = (window as unknown as { __long: [number, number][] }).__long;
      const last = l.length ? l[l.length - 1][0] + l[l.length - 1][1] : 0;
      return performance.now() - last > 1000;
    },
    null,
    { polling: 200, timeout: 20_000 },
  );
  const tasks = await page.evaluate((from) => (window as unknown as { __long: [number, number][] }).__long.filter(([s, d]) => s + d >= from), t0);
  return {
    action,
    shown: Math.round(t1 - t0),
    longest: Math.round(Math.max(0, ...tasks.map(([, d]) => d))),
    blocking: Math.round(tasks.reduce((sum, [, d]) => sum + Math.max(0, d - 50), 0)),
  };
}

async function oneRun(page: Page, fixture: Fixture, rep: number): Promise<Measured[]> {
  const out: Measured[] = [];
  const t = await openUntilUsable(page, fixture);
  out.push({ action: 'open the agreement (cold)', shown: Math.round(t), longest: 0, blocking: 0 });
  const history = page.getByTestId('history-panel');
  await history.getByTestId('snapshot-item').nth(1).waitFor({ timeout: 60_000 });

  out.push(
    await measure(page, 'compare two versions (~150 changed paragraphs)', async () => {
      await history.getByLabel('Select “First draft” to compare').check();
      await history.getByLabel('Select “Second draft” to compare').check();
      await history.getByRole('button', { name: 'Compare the two selected' }).click();
      await page.getByTestId('compare-view').locator('ins.change').first().waitFor({ timeout: 60_000 });
    }),
  );
  out.push(
    await measure(page, 'close the comparison', async () => {
      await page.getByRole('button', { name: 'Close' }).click();
      await page.getByTestId('compare-view').waitFor({ state: 'detached' });
    }),
  );
  out.push(
    await measure(page, 'open a version', async () => {
      await history.getByTestId('snapshot-item').filter({ hasText: 'Second draft' }).getByRole('button', { name: 'Open' }).click();
      await page.getByTestId('snapshot-document').getByText(fixture.endMark).waitFor({ timeout: 60_000 });
    }),
  );
  out.push(
    await measure(page, 'close the version', async () => {
      await page.getByRole('button', { name: 'Close' }).click();
      await page.getByTestId('snapshot-viewer').waitFor({ state: 'detached' });
    }),
  );
  const far = `${Math.max(1, pages - 5)}. Section`;
  out.push(
    await measure(page, `jump from the outline to “${far}”`, async () => {
      await page.locator('section[aria-labelledby="outline-title"] button', { hasText: far }).first().click();
      await page.waitForFunction(
        (text) => {
          const h = [...document.querySelectorAll('.ProseMirror h2')].find((e) => e.textContent === text);
          const r = h?.getBoundingClientRect();
          return !!r && r.top >= 0 && r.bottom <= innerHeight;
        },
        far,
        { polling: 'raf' },
      );
    }),
  );
  const mine = page.locator('.ProseMirror p', { hasText: fixture.pageMark });
  await mine.click();
  out.push(
    await measure(page, 'select all and copy', async () => {
      await page.keyboard.press('Control+a');
      await page.evaluate(() => document.execCommand('copy'));
    }),
  );
  await mine.click();
  await page.keyboard.press('End');
  const pasted = Array.from(
    { length: 50 },
    (_, i) => `<p>Pasted clause ${i}: the parties agree to share the monitoring data every quarter with the steering group.</p>`,
  ).join('');
  out.push(
    await measure(page, 'paste five pages', async () => {
      await page.evaluate((html) => {
        const data = new DataTransfer();
        data.setData('text/html', html);
        data.setData('text/plain', html.replace(/<[^>]+>/g, '\n'));
        document.querySelector('.ProseMirror')?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
      }, pasted);
      await page.locator('.ProseMirror p', { hasText: 'Pasted clause 49:' }).waitFor({ state: 'attached' });
    }),
  );
  out.push(
    await measure(page, 'undo the paste', async () => {
      await page.keyboard.press('Control+z');
      await page.locator('.ProseMirror p', { hasText: 'Pasted clause 49:' }).waitFor({ state: 'detached' });
    }),
  );
  out.push(
    await measure(page, 'take a snapshot', async () => {
      await history.getByLabel('Snapshot name').fill(`Taken in run ${rep + 1}`);
      await history.getByRole('button', { name: 'Take snapshot' }).click();
      await history
        .getByTestId('snapshot-item')
        .filter({ hasText: `Taken in run ${rep + 1}` })
        .waitFor({ timeout: 60_000 });
    }),
  );
  out.push(
    await measure(page, 'switch to suggesting', async () => {
      await page.getByTestId('mode-suggesting').click();
      await page.locator('[data-testid="mode-suggesting"][aria-checked="true"]').waitFor();
    }),
  );
  out.push(
    await measure(page, 'scroll to the end with the wheel', async () => {
      await page.mouse.move(500, 500);
      for (let i = 0; i < 120; i++) {
        await page.mouse.wheel(0, 900);
        await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
      }
    }),
  );
  return out;
}

if (!args.includes('--no-build')) execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
const dataDir = await mkdtemp(join(tmpdir(), 'cg-actions-'));
const { http, child } = await startServer(dataDir, root);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
});
try {
  const fixture = await fillAgreement(http, pages);
  await snapshot(fixture, 'First draft');
  await reword(fixture);
  await snapshot(fixture, 'Second draft');
  const all: Measured[][] = [];
  for (let rep = 0; rep < reps; rep++) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (e) => console.error('page error:', e.message));
    if (throttle > 1) await (await context.newCDPSession(page)).send('Emulation.setCPUThrottlingRate', { rate: throttle });
    await page.addInitScript(() => {
      const w = window as unknown as { __long: [number, number][] };
      w.__long = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__long.push([e.startTime, e.duration]);
      }).observe({ type: 'longtask', buffered: true });
    });
    all.push(await oneRun(page, fixture, rep));
    await context.close();
  }
  console.log(`\n${pages} pages, CPU ${throttle}×, ${reps} runs (ms; each run's figure, then the median)`);
  console.log('action'.padEnd(52), 'shown'.padStart(14), 'longest task'.padStart(16), 'blocking'.padStart(16));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (let i = 0; i < all[0].length; i++) {
    const rows = all.map((r) => r[i]);
    const cell = (k: keyof Measured) => `${rows.map((r) => r[k]).join('/')} (${median(rows.map((r) => r[k] as number))})`.padStart(16);
    console.log(rows[0].action.padEnd(52), cell('shown'), cell('longest'), cell('blocking'));
  }
} finally {
  await browser.close();
  await stopServer(child, dataDir);
}
