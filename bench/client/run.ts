// npm run bench -- client [--reps N] [--seconds S] [--pages 1,40] [--throttle 1,3] [--label name] [--profile] [--profile-load] [--trace] [--heap] [--ab ../other-checkout] [--where paragraph|objective] [--history rounds] [--network KBPS,RTT_MS] [--text filler|prose] [--no-floor] [--no-peer] [--no-return] [--session]
// Opens a long agreement in Debian's Chromium while two other people type, and reports what
// a person at the keyboard notices: keystroke to next frame, others' keystrokes appearing,
// how busy the main thread is, cold load, bytes of the app. Not a test: nothing here passes or fails.
import { execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type CDPSession, type Page } from 'playwright-core';
import { emulateNetwork } from './network';
import { fillAgreement, serverBlocks, startLiveSession, type FillText, type Fixture, type Where } from './agreement';
import { openUntilUsable, personalProfile, startServer, stopServer, visitUntilStored } from './open';
import { connectTypist, type Typist } from './typist';
import {
  pairedDifferences,
  pairedTable,
  summarise,
  summariseFloor,
  summarisePeer,
  table,
  topFunctions,
  type ReturnVisitFigures,
  type RunFigures,
} from './report';
import { floorRun, type FloorFigures } from './floor';
import { fillPeerRoom, peerRun, startPeer, type Peer, type PeerFigures } from './peerEditor';
import { TRACE_CATEGORIES, formatSelfTimes, mainThreadSelfTimes } from './trace';
import { describeKeySteps, keySteps, slowestTenthSteps, type KeyParts } from './keyParts';
import { caretAtEndOf, othersDelays, pageClockOffset } from './others';
import { mainThreadMeter } from './mainThreadMeter';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = join(here, '..', '..');
const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const reps = Number(flag('reps', '3'));
const seconds = Number(flag('seconds', '8'));
const pageSizes = flag('pages', '1,40').split(',').map(Number);
const throttles = flag('throttle', '1,3').split(',').map(Number);
const label = flag('label', 'latest');
/** Writes a CPU profile of each typing window to bench/profiles/ and prints its heaviest functions. */
const profile = args.includes('--profile');
/** Writes a CPU profile of each cold load (navigation to a usable editor) to bench/profiles/. */
const profileLoad = args.includes('--profile-load');
/** Writes heap snapshots of the page before and after each typing window to bench/profiles/ (compare them with bench/heapDiff.mjs). */
const heapSnapshots = args.includes('--heap');
/** Records a Chromium trace of each typing window and prints the main thread's time by kind of work. */
const trace = args.includes('--trace');
/** How many other people type beside the measured one (0 isolates the cost of one's own keystrokes). */
const otherTypists = Number(flag('typists', '2'));
/** Where the measured person types: `paragraph` (the middle of the text) or `objective` (an objective's flexible band there). */
const where = flag('where', 'paragraph') as Where;
/** Rounds of rewording before the agreement is opened (agreement.ts, `reword`): 5 rework each word about once. */
const history = Number(flag('history', '0'));
/** `--text prose`: paragraphs of English prose instead of the filler's 38 words (agreement.ts), for what depends on compression. */
const fill = flag('text', 'filler') as FillText;
if (fill !== 'filler' && fill !== 'prose') throw new Error(`--text filler or prose, not ${fill}`);
if (where !== 'paragraph' && where !== 'objective') throw new Error(`--where paragraph|objective, not ${where}`);
/** Extra style rules put into the page before the app runs, to compare a rule's cost (A/B). */
const extraCss = flag('css', '');
/**
 * Another checkout of the app (a git worktree of another commit, with its own node_modules), built and
 * served by its own server beside this one. Each repetition runs both builds one after the other, the
 * order alternating, and the report adds their run-by-run differences: a change smaller than the
 * drift between whole runs (a millisecond or two here) still shows.
 */
const abRoot = flag('ab', '');
/**
 * `--network KBPS,RTT_MS` (e.g. 1440,562: DevTools' "Fast 3G"): each page loads over that link (Chromium's
 * emulation; upload at half the speed), and the report adds the text's bytes over the websocket before
 * the editor was usable. Off by default: the Network domain it needs is not free, and earlier figures ran without it.
 */
const network = flag('network', '');
/** `--session`: the broker starts a live session before the pages open (agreement.ts, startLiveSession): typing while one runs. */
const liveSession = args.includes('--session');
/** Leaves out the browser's floor (a plain contenteditable with the same text), measured beside each setting. */
const withFloor = !args.includes('--no-floor');
/** Leaves out the return visit measured after each run (returnVisit). */
const withReturnVisit = !args.includes('--no-return');
/** Leaves out the peer (Tiptap's stock collaborative editor on the y-websocket server, bench/client/peerEditor.ts). */
const withPeer = !args.includes('--no-peer');
/** One keystroke every this many ms for each of the three people (about 6 characters a second). */
const TYPING_INTERVAL_MS = 160;

/** Where the main thread's time goes (Chromium's Performance.getMetrics), reported per keystroke. */
const PARTS = ['ScriptDuration', 'RecalcStyleDuration', 'LayoutDuration'];

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function metric(cdp: CDPSession, name: string): Promise<number> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === name)?.value ?? 0;
}

/**
 * The page's JavaScript heap in use after a full garbage collection (bytes): what it keeps, not what
 * it has yet to free. Its growth while typing is no per-keystroke figure: over 30 s of three people
 * typing (2026-12-05, `--heap`) it was mostly code the engine compiled meanwhile.
 */
async function heapInUse(cdp: CDPSession, snapshotTo?: string): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  if (snapshotTo) await writeHeapSnapshot(cdp, snapshotTo);
  return metric(cdp, 'JSHeapUsedSize');
}

async function writeHeapSnapshot(cdp: CDPSession, file: string): Promise<void> {
  const chunks: string[] = [];
  const collect = ({ chunk }: { chunk: string }) => chunks.push(chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', collect);
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  cdp.off('HeapProfiler.addHeapSnapshotChunk', collect);
  writeFileSync(file, chunks.join(''));
}

/** Cold load of the agreement in a fresh profile: until the last block is shown in an editable editor. */
async function load(page: Page, fixture: Fixture, cdp: CDPSession, throttle: number) {
  if (profileLoad) await cdp.send('Profiler.enable').then(() => cdp.send('Profiler.start'));
  const socketBytes = network ? await emulateNetwork(cdp, network) : undefined;
  const usableAt = await openUntilUsable(page, fixture);
  const textBytesOverSocket = socketBytes?.();
  await page.waitForTimeout(1000);
  if (profileLoad) {
    const { profile: cpu } = await cdp.send('Profiler.stop');
    writeFileSync(join(here, '..', 'profiles', `client-${fixture.pages}p-${throttle}x-load.cpuprofile`), JSON.stringify(cpu));
  }
  return { ...(await loadFigures(page, usableAt)), textBytesOverSocket };
}

/** What the page measured of its load, up to `usable` (its performance.now()). */
function loadFigures(page: Page, usableAt: number) {
  return page.evaluate((usable) => {
    const bench = (window as unknown as { __bench: { longTasks: { start: number; duration: number }[]; firstTextAt: number | null } }).__bench;
    const entries = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const app = [nav, ...entries.filter((e) => new URL(e.name).origin === location.origin && !/\/(api|collab)\//.test(new URL(e.name).pathname))];
    return {
      usableMs: usable as number,
      firstTextMs: bench.firstTextAt ?? (usable as number),
      longestLoadTaskMs: Math.max(0, ...bench.longTasks.filter((t) => t.start < (usable as number)).map((t) => t.duration)),
      // The page is held open a second after usable (load, returnVisit): a task begun in it has been reported.
      longestTaskAfterUsableMs: Math.max(
        0,
        ...bench.longTasks.filter((t) => t.start >= (usable as number) && t.start < (usable as number) + 1000).map((t) => t.duration),
      ),
      appBytesOnWire: app.reduce((n, e) => n + e.encodedBodySize, 0),
      appBytesDecoded: app.reduce((n, e) => n + e.decodedBodySize, 0),
      apiRequestsDuringLoad: entries
        .filter((e) => /\/api\//.test(e.name) && e.startTime < (usable as number))
        .map((e) => new URL(e.name).pathname.replace(/^\/api\/agreements\/[^/]+/, '') || '/'),
    };
  }, usableAt);
}

/**
 * A return visit, as a person makes every working day: in their own browser profile (open.ts,
 * personalProfile), after a first visit stored the app and this device's copy of the text. Until
 * the last block is shown in an editable editor, as for the cold load.
 */
async function returnVisit(fixture: Fixture, throttle: number): Promise<ReturnVisitFigures> {
  const profile = await personalProfile(CHROMIUM_ARGS);
  try {
    await visitUntilStored(await profile.context.newPage(), fixture);
    const page = await profile.context.newPage();
    const cdp = await profile.context.newCDPSession(page);
    if (throttle > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
    await page.addInitScript({ path: join(here, 'instrument.js') });
    const usableAt = await openUntilUsable(page, fixture);
    // As for the cold load: a long task is reported once it is over.
    await page.waitForTimeout(1000);
    const { usableMs, firstTextMs, longestLoadTaskMs } = await loadFigures(page, usableAt);
    return { usableMs, firstTextMs, longestLoadTaskMs };
  } finally {
    await profile.close();
  }
}

/** The page's top-level blocks (name: text) from the editor's ProseMirror document. */
function pageBlocks(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    type Node = { type: { name: string }; textContent: string; forEach(f: (n: Node) => void): void };
    const editor = (document.querySelector('.ProseMirror') as unknown as { editor?: { state: { doc: Node } } }).editor;
    const out: string[] = [];
    editor?.state.doc.forEach((n) => out.push(`${n.type.name}: ${n.textContent}`));
    return out;
  });
}

/** Prints where the page's and the server's blocks differ, and the blocks around the measured paragraph. */
async function compareWithServer(page: Page, fixture: Fixture, when: string) {
  const [mine, theirs] = await Promise.all([pageBlocks(page), serverBlocks(fixture.ws, fixture.id, fixture.pageToken)]);
  const middle = theirs.findIndex((b) => b.includes(fixture.pageMark));
  const diffs: string[] = [];
  for (let i = 0; i < Math.max(mine.length, theirs.length); i++)
    if (mine[i] !== theirs[i]) diffs.push(`  #${i}\n    page:   ${JSON.stringify(mine[i])}\n    server: ${JSON.stringify(theirs[i])}`);
  const summary = `[${when}] ${fixture.pages}p: page ${mine.length} blocks, server ${theirs.length}; mark in server block ${middle}, in page block ${mine.findIndex((b) => b.includes(fixture.pageMark))}; ${diffs.length} differing blocks`;
  console.error(summary);
  console.error(`  measured paragraph on the server: ${JSON.stringify(middle >= 0 ? theirs[middle] : null)}`);
  if (diffs.length > 0) console.error(diffs.slice(0, 10).join('\n'));
  if (middle < 0 || diffs.length > 0) {
    const at = Math.floor(theirs.length / 2);
    console.error(
      `  server blocks ${at - 6}..${at + 6}:\n${theirs
        .slice(at - 6, at + 7)
        .map((b, i) => `    #${at - 6 + i} ${JSON.stringify(b)}`)
        .join('\n')}`,
    );
    console.error(
      `  page blocks ${at - 6}..${at + 6}:\n${mine
        .slice(at - 6, at + 7)
        .map((b, i) => `    #${at - 6 + i} ${JSON.stringify(b)}`)
        .join('\n')}`,
    );
  }
}

async function oneRun(browser: Browser, fixture: Fixture, throttle: number): Promise<RunFigures> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  if (throttle > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  await page.addInitScript({ path: join(here, 'instrument.js') });
  if (extraCss)
    await page.addInitScript((css) => {
      addEventListener('DOMContentLoaded', () => document.head.append(Object.assign(document.createElement('style'), { textContent: css })));
    }, extraCss);
  const typists: Typist[] = [];
  try {
    const loaded = await load(page, fixture, cdp, throttle);
    const heapAfterLoad = await heapInUse(cdp);
    await page.evaluate((marks) => (window as unknown as { __bench: { watch(m: string[]): void } }).__bench.watch(marks), fixture.typistMarks);
    const mine = page.locator(where === 'objective' ? '.ProseMirror .objective__field' : '.ProseMirror p', { hasText: fixture.pageMark });
    try {
      await mine.click({ timeout: 60_000 });
    } catch (err) {
      // Say what the page shows: a missing paragraph and a slow page are different failures.
      const shown = await page.evaluate((mark) => {
        const editor = document.querySelector('.ProseMirror');
        return {
          blocks: editor?.childElementCount,
          editable: editor?.getAttribute('contenteditable'),
          hasMark: editor?.textContent?.includes(mark),
          paragraphs: [...(editor?.querySelectorAll('p') ?? [])].filter((p) => p.textContent?.includes(mark)).map((p) => p.outerHTML.slice(0, 300)),
          // Other people's carets are part of textContent (their name label): one inside the mark hides it.
          measured: [...(editor?.querySelectorAll('p') ?? [])].filter((p) => p.textContent?.includes('Measured')).map((p) => p.outerHTML.slice(0, 600)),
          carets: [...(editor?.querySelectorAll('.collaboration-carets__caret') ?? [])].map(
            (c) => `${c.getAttribute('data-user')} in "${c.parentElement?.textContent?.slice(0, 80)}"`,
          ),
        };
      }, fixture.pageMark);
      console.error('the measured paragraph was not found', JSON.stringify(shown));
      await compareWithServer(page, fixture, 'mark not found').catch((e) => console.error('compare failed', e));
      throw err;
    }
    await caretAtEndOf(page, where === 'objective' ? '.ProseMirror .objective__field' : '.ProseMirror p', fixture.pageMark);
    for (let i = 0; i < Math.min(otherTypists, fixture.typistTokens.length); i++)
      typists.push(await connectTypist(fixture.ws, fixture.id, fixture.typistTokens[i], fixture.typistMarks[i]));
    for (const t of typists) t.start(TYPING_INTERVAL_MS);
    await page.keyboard.type('warming up ', { delay: TYPING_INTERVAL_MS });
    await page.evaluate(() => {
      const bench = (window as unknown as { __bench: { keys: number[]; keyParts: unknown[] } }).__bench;
      bench.keys.length = 0;
      bench.keyParts.length = 0;
    });
    const sentBefore = typists.map((t) => t.sentAt.length);
    const snapshotName = (when: string) =>
      heapSnapshots ? join(here, '..', 'profiles', `client-${fixture.pages}p-${throttle}x-${when}.heapsnapshot`) : undefined;
    if (heapSnapshots) await heapInUse(cdp, snapshotName('before'));
    const offsetBefore = await pageClockOffset(page);
    if (profile) await cdp.send('Profiler.enable').then(() => cdp.send('Profiler.start'));
    if (trace) await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    const spent = await mainThreadMeter(cdp);
    const partsBefore = await Promise.all(PARTS.map((name) => metric(cdp, name)));
    const started = Date.now();
    const keys = Math.round((seconds * 1000) / TYPING_INTERVAL_MS);
    await page.keyboard.type('the quick brown fox jumps over the lazy dog '.repeat(20).slice(0, keys), { delay: TYPING_INTERVAL_MS });
    const { busyMs, cpuMs } = await spent();
    const partsMs = (await Promise.all(PARTS.map((name) => metric(cdp, name)))).map((v, i) => (v - partsBefore[i]) * 1000);
    if (profile) {
      const { profile: cpu } = await cdp.send('Profiler.stop');
      writeFileSync(join(here, '..', 'profiles', `client-${fixture.pages}p-${throttle}x.cpuprofile`), JSON.stringify(cpu));
      console.log(`${fixture.pages} pages, CPU ${throttle}×: heaviest functions while typing (self ms)\n${topFunctions(cpu)}`);
    }
    const wallMs = Date.now() - started;
    const sentDuring = typists.map((t, i) => t.sentAt.length - sentBefore[i]);
    if (trace) {
      const raw = (await browser.stopTracing()).toString('utf8');
      writeFileSync(join(here, '..', 'profiles', `client-${fixture.pages}p-${throttle}x.trace.json`), raw);
      const events = JSON.parse(raw);
      const keystrokes = keys + sentDuring.reduce((a, b) => a + b, 0);
      console.log(
        `${fixture.pages} pages, CPU ${throttle}×: main thread by kind of work while typing (self time, ${keystrokes} keystrokes)\n${formatSelfTimes(mainThreadSelfTimes(events), keystrokes)}`,
      );
    }
    for (const t of typists) t.stop();
    // Let the last keystrokes arrive (seconds late under throttling).
    await page.waitForTimeout(throttle > 1 ? 8000 : 2000);
    const offsetAfter = await pageClockOffset(page);
    if (heapSnapshots) await heapInUse(cdp, snapshotName('after'));
    // Typists stamp with this process's clock, the page with its own: both are epoch ms, but each
    // fixed its origin when it started, so a step of the machine's clock in between parts them (the
    // likely cause of an A/B on 2026-12-02 whose every remote delay came out 1.8 s late).
    const offset = (offsetBefore + offsetAfter) / 2;
    if (Math.abs(offset) > 5) console.log(`the page's clock is ${offset.toFixed(1)} ms ahead of this process's: taken out of others' delays`);
    if (Math.abs(offsetAfter - offsetBefore) > 5)
      console.warn(
        `the page's clock moved ${(offsetAfter - offsetBefore).toFixed(1)} ms against this process's while typing: others' delays are off by up to that`,
      );
    await compareWithServer(page, fixture, 'after typing');
    const measured = await page.evaluate(() => {
      const bench = (window as unknown as { __bench: { keys: number[]; keyParts: KeyParts[]; remote: Record<string, { length: number; at: number }[]> } })
        .__bench;
      return { keys: bench.keys, keyParts: bench.keyParts, remote: bench.remote };
    });
    const steps = keySteps(measured.keyParts);
    console.log(`${fixture.pages} pages, CPU ${throttle}×: ${describeKeySteps(steps)}`);
    const remoteDelays = othersDelays(typists, fixture.typistMarks, measured.remote, sentBefore, offset);
    return {
      ...loaded,
      keyDelays: measured.keys,
      keySteps: steps,
      keyTailSteps: slowestTenthSteps(measured.keyParts),
      remoteDelays,
      busyPercent: (100 * busyMs) / wallMs,
      busyMsPerKeystroke: busyMs / (measured.keys.length + sentDuring.reduce((a, b) => a + b, 0)),
      cpuMsPerKeystroke: cpuMs / (measured.keys.length + sentDuring.reduce((a, b) => a + b, 0)),
      heapAfterLoadMB: heapAfterLoad / 2 ** 20,
      busyParts: Object.fromEntries(PARTS.map((name, i) => [name, partsMs[i] / (measured.keys.length + sentDuring.reduce((a, b) => a + b, 0))])),
    };
  } finally {
    for (const t of typists) t.destroy();
    await context.close();
  }
}

interface Build {
  name: 'A' | 'B';
  dataDir: string;
  server: { http: string; child: ChildProcess };
  fixtures: Map<number, Fixture>;
}
const checkouts = abRoot ? { A: root, B: abRoot } : { A: root };
for (const checkout of Object.values(checkouts)) execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: checkout, stdio: 'inherit' });
mkdirSync(join(here, '..', 'profiles'), { recursive: true });
const builds: Build[] = [];
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
const results: Record<string, ReturnType<typeof summarise> & { floor?: ReturnType<typeof summariseFloor>; peer?: ReturnType<typeof summarisePeer> }> = {};
let peer: Peer | undefined;
const paired: Record<string, ReturnType<typeof pairedDifferences>> = {};
try {
  for (const [name, checkout] of Object.entries(checkouts) as ['A' | 'B', string][]) {
    const dataDir = mkdtempSync(join(tmpdir(), 'bench-client-'));
    builds.push({ name, dataDir, server: await startServer(dataDir, checkout), fixtures: new Map() });
  }
  for (const build of builds)
    for (const pages of pageSizes) {
      const fixture = await fillAgreement(build.server.http, pages, where, history, fill, Math.max(2, otherTypists));
      if (liveSession) await startLiveSession(fixture);
      build.fixtures.set(pages, fixture);
    }
  if (withPeer) peer = await startPeer(root);
  for (const throttle of throttles) {
    for (const pages of pageSizes) {
      const runs = new Map<Build, RunFigures[]>(builds.map((b) => [b, []]));
      for (let rep = 0; rep < reps; rep++) {
        for (const build of rep % 2 === 0 ? builds : [...builds].reverse()) {
          const fixture = build.fixtures.get(pages) as Fixture;
          const run = await oneRun(browser, fixture, throttle);
          runs.get(build)?.push(withReturnVisit ? { ...run, returnVisit: await returnVisit(fixture, throttle) } : run);
          process.stderr.write('.');
        }
      }
      const setting = `${pages}p ${throttle}x`;
      for (const build of builds) {
        const fixture = build.fixtures.get(pages) as Fixture;
        const about = { pages, throttle, blocks: fixture.blocks, words: fixture.words, threads: fixture.threads, ...(abRoot ? { build: build.name } : {}) };
        results[abRoot ? `${setting} ${build.name}` : setting] = summarise(runs.get(build) as RunFigures[], about);
      }
      if (abRoot) paired[setting] = pairedDifferences(runs.get(builds[0]) as RunFigures[], runs.get(builds[1]) as RunFigures[]);
      const fixture = builds[0].fixtures.get(pages) as Fixture;
      const blocks = withFloor || peer ? await serverBlocks(fixture.ws, fixture.id, fixture.pageToken) : [];
      const keys = Math.round((seconds * 1000) / TYPING_INTERVAL_MS);
      const beside = { throttle, otherTypists, intervalMs: TYPING_INTERVAL_MS, keys, instrument: join(here, 'instrument.js') };
      if (withFloor) {
        const floorRuns: FloorFigures[] = [];
        for (let rep = 0; rep < reps; rep++) {
          floorRuns.push(await floorRun(browser, fixture, blocks, beside));
          process.stderr.write('.');
        }
        results[abRoot ? `${setting} A` : setting].floor = summariseFloor(floorRuns);
      }
      if (peer) {
        const peerRuns: PeerFigures[] = [];
        for (let rep = 0; rep < reps; rep++) {
          // A room of its own for each run: the measured paragraph starts as the app's did.
          const room = `peer-${pages}p-${throttle}x-${rep}`;
          await fillPeerRoom(peer, room, blocks);
          const traceTo = trace ? join(here, '..', 'profiles', `peer-${pages}p-${throttle}x.trace.json`) : undefined;
          const profileTo = profile ? join(here, '..', 'profiles', `peer-${pages}p-${throttle}x.cpuprofile`) : undefined;
          peerRuns.push(await peerRun(browser, peer, room, fixture, { ...beside, traceTo, profileTo }));
          process.stderr.write('.');
        }
        results[abRoot ? `${setting} A` : setting].peer = summarisePeer(peerRuns);
      }
    }
  }
} finally {
  await browser.close();
  for (const { server, dataDir } of builds) await stopServer(server.child, dataDir);
  await peer?.stop();
}
process.stderr.write('\n');
const out = {
  date: new Date().toISOString(),
  label,
  machine: `${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}`,
  reps,
  seconds,
  typingIntervalMs: TYPING_INTERVAL_MS,
  where,
  results,
  ...(abRoot ? { ab: { other: abRoot, paired } } : {}),
};
mkdirSync(join(here, '..', 'results'), { recursive: true });
writeFileSync(join(here, '..', 'results', `client-${label}.json`), JSON.stringify(out, null, 2) + '\n');
console.log(table(results));
if (abRoot) console.log(`\nB is ${abRoot}, A this checkout; each repetition ran both, the order alternating.\n${pairedTable(paired)}`);
