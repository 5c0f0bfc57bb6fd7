// npm run bench -- client compare [--reps N] [--pages P] [--rounds R]
// What a legal reviewer waits for when comparing a version of a long, much-reworded agreement with
// the live text, in Chromium against the built app: from the click on "Compare selected with live
// text" to the comparison shown, split into the server's answer (the /diff request, from the page's
// resource timing) and the page's own work after it. "first" is on a server that has not opened the
// agreement since it started (a review the day after a session), "again" the same comparison asked
// once more with the page reloaded. Not a test: nothing here passes or fails.
import { type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
// @ts-expect-error: the server bench's helpers are plain JavaScript.
import { versionAndNextRound } from '../text.mjs';
// @ts-expect-error: as above.
import { ourFrames } from '../ourFrames.mjs';
import { startServer } from './open';
import { median } from './report';

const root = fileURLToPath(new URL('../..', import.meta.url));
const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const reps = Number(flag('reps', '3'));
const pages = Number(flag('pages', '40'));
const rounds = Number(flag('rounds', '5'));
const LABEL = 'Before the last round';

/** Stops a server and keeps its data, to start it again on the same files. */
async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function post(url: string, body: unknown, token?: string): Promise<{ id: string; token: string }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (res.status !== 201) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; token: string };
}

/** An agreement stored as the version's state, a snapshot of it taken, and the next round of rewording in its log. */
async function prepare(dataDir: string): Promise<{ id: string; token: string }> {
  const { version, nextRound } = versionAndNextRound(pages, rounds) as { version: Uint8Array; nextRound: Uint8Array };
  let server = await startServer(dataDir, root);
  const agreement = await post(`${server.http}/api/agreements`, { title: `${pages} pages reworded ${rounds} times` });
  await stop(server.child);
  mkdirSync(join(dataDir, 'rooms'), { recursive: true });
  writeFileSync(join(dataDir, 'rooms', `${agreement.id}.state`), version);
  server = await startServer(dataDir, root);
  await post(`${server.http}/api/agreements/${agreement.id}/snapshots`, { label: LABEL }, agreement.token);
  await stop(server.child);
  writeFileSync(join(dataDir, 'rooms', `${agreement.id}.log`), ourFrames([nextRound]));
  return agreement;
}

interface CompareTimes {
  /** Click to the comparison's document in the page, painted. */
  shownMs: number;
  /** Click to the /diff answer's last byte (the server's part, and the request's). */
  answeredMs: number;
  /** The rest: the page reading the answer and showing it. */
  pageMs: number;
  answerKB: number;
  longestTaskMs: number;
}

/** Opens the history panel's comparison of the version with the live text and times it. */
async function compareOnce(page: Page, url: string): Promise<CompareTimes> {
  // A page load each time (the URL's token is in its hash: going to it again would only change the hash).
  await page.goto('about:blank');
  await page.goto(url);
  await page.getByLabel(`Select “${LABEL}” to compare`).check({ timeout: 120_000 });
  await page.evaluate(() => {
    const w = window as unknown as { __longest: number };
    w.__longest = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longest = Math.max(w.__longest, e.duration);
    }).observe({ type: 'longtask' });
  });
  const clickedAt = await page.evaluate(() => {
    const button = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Compare selected with live text');
    if (!button) throw new Error('no compare button');
    const at = performance.now();
    button.click();
    return at;
  });
  const shownAt = (await (
    await page.waitForFunction(
      () =>
        (document.querySelector('[data-testid="compare-document"]')?.textContent?.length ?? 0) > 0
          ? new Promise<number>((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()))))
          : 0,
      undefined,
      { polling: 100, timeout: 300_000 },
    )
  ).jsonValue()) as number;
  const answer = await page.evaluate(() => {
    const entry = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).find((e) => e.name.includes('/diff?'));
    return entry ? { end: entry.responseEnd, bytes: entry.encodedBodySize } : null;
  });
  if (!answer) throw new Error('no /diff request in the page');
  const longestTaskMs = await page.evaluate(() => (window as unknown as { __longest: number }).__longest);
  return {
    shownMs: shownAt - clickedAt,
    answeredMs: answer.end - clickedAt,
    pageMs: shownAt - answer.end,
    answerKB: answer.bytes / 1024,
    longestTaskMs,
  };
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
const runs: { first: CompareTimes; again: CompareTimes }[] = [];
try {
  for (let rep = 0; rep < reps; rep++) {
    const dataDir = mkdtempSync(join(tmpdir(), 'bench-compare-'));
    try {
      const agreement = await prepare(dataDir);
      const server = await startServer(dataDir, root);
      try {
        const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
        const page = await context.newPage();
        const url = `${server.http}/a/${agreement.id}#token=${agreement.token}`;
        const first = await compareOnce(page, url);
        const again = await compareOnce(page, url);
        await context.close();
        runs.push({ first, again });
        console.log(`run ${rep + 1}: first ${JSON.stringify(first)}\n       again ${JSON.stringify(again)}`);
      } finally {
        await stop(server.child);
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 });
    }
  }
} finally {
  await browser.close();
}

const m = (pick: (r: (typeof runs)[number]) => number) => Math.round(median(runs.map(pick)));
console.log(`\ncomparing a version of ${pages} pages reworded ${rounds} times with the live text (one round more), medians of ${runs.length} runs (ms):`);
console.log('| | click to shown | click to the answer | the page after it | answer (KB) | longest task |');
console.log('| --- | --- | --- | --- | --- | --- |');
for (const which of ['first', 'again'] as const)
  console.log(
    `| ${which} | ${m((r) => r[which].shownMs)} | ${m((r) => r[which].answeredMs)} | ${m((r) => r[which].pageMs)} | ${m((r) => r[which].answerKB)} | ${m((r) => r[which].longestTaskMs)} |`,
  );
