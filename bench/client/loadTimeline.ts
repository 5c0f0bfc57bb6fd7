// npm run bench -- client load-timeline [--pages 40] [--reps 3] [--throttle 1] [--network KBPS,RTT_MS] [--history rounds] [--text filler|prose] [--warm] [--checkout ../other] [--no-build] [--trace] [--profile]
// What happens, in order, while a long agreement opens in Chromium: each request (asked, answered),
// each websocket as the page sees it (made, open, first message handled), each long task (50 ms or
// more), the first screen of text and the moment the editor is usable. --trace adds what each long
// task held; --profile writes a CPU profile of each load. Not a figure for the budget (run.ts
// reports those); a map of the cold load's critical path, to see what waits on what before changing it.
// --warm opens the agreement once first in a person's own browser profile and measures the return visit
// (the app and this device's copy of the text already on the device). --joining keeps another person (a
// stock client, not typing) in the agreement throughout: the page joins a session under way, its room
// already loaded on the server, instead of being the first to open it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { fillAgreement, type FillText } from './agreement';
import { emulateNetwork } from './network';
import { connectTypist, type Typist } from './typist';
import { openUntilUsable, personalProfile, startServer, stopServer, visitUntilStored } from './open';
import { LOAD_TRACE_CATEGORIES, longTasksInTrace, startTrace } from './trace';

const here = fileURLToPath(new URL('.', import.meta.url));
const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
/** The checkout whose app is built and served (another worktree, to compare). */
const root = resolve(flag('checkout', join(here, '..', '..')));
const pages = Number(flag('pages', '40'));
const reps = Number(flag('reps', '3'));
const throttle = Number(flag('throttle', '1'));
/** Rounds of rewording first (agreement.ts): a text as it stands after months of negotiation. */
const history = Number(flag('history', '0'));
/** `--text prose`: paragraphs of English prose instead of the filler's 38 words (agreement.ts), for what depends on compression. */
const fill = flag('text', 'filler') as FillText;
if (fill !== 'filler' && fill !== 'prose') throw new Error(`--text filler or prose, not ${fill}`);
const warm = args.includes('--warm');
/** A slow link (Chromium's emulation; upload at half the speed): `--network 1440,562` is DevTools' "Fast 3G". */
const network = flag('network', '');

if (!args.includes('--no-build')) execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
// bench/profiles/ is not in the repository: a fresh clone has none.
mkdirSync(join(here, '..', 'profiles'), { recursive: true });
const dataDir = mkdtempSync(join(tmpdir(), 'cg-timeline-'));
const { http, child: server } = await startServer(dataDir, root);
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu'];
// A first visit runs in a private window of this browser; a return visit in a profile of its own (open.ts, personalProfile).
const browser = warm ? undefined : await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
/** With --joining, the person already in the agreement. */
let present: Typist | undefined;
try {
  const fixture = await fillAgreement(http, pages, 'paragraph', history, fill);
  if (args.includes('--joining')) present = await connectTypist(fixture.ws, fixture.id, fixture.typistTokens[0], fixture.typistMarks[0]);
  for (let rep = 0; rep < reps; rep++) {
    const profile = warm ? await personalProfile(CHROMIUM_ARGS) : undefined;
    const context = profile?.context ?? (await browser!.newContext({ viewport: { width: 1280, height: 900 } }));
    if (warm) console.log(`warm: this device's copy holds ${((await visitUntilStored(await context.newPage(), fixture)) / 1024).toFixed(0)} KB`);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    if (throttle > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
    if (network) await emulateNetwork(cdp, network);
    await page.addInitScript({ path: join(here, 'instrument.js') });
    await page.addInitScript({ path: join(here, 'localeDataUse.js') });
    if (args.includes('--profile')) await cdp.send('Profiler.enable').then(() => cdp.send('Profiler.start'));
    const stopTrace = args.includes('--trace') ? await startTrace(cdp, LOAD_TRACE_CATEGORIES) : undefined;
    const usable = await openUntilUsable(page, fixture);
    await page.waitForTimeout(500);
    if (args.includes('--profile')) {
      const { profile } = await cdp.send('Profiler.stop');
      const file = join(here, '..', 'profiles', `load-timeline-${rep + 1}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      console.log(`CPU profile: ${file}`);
    }
    const traced = stopTrace ? await stopTrace() : null;
    if (traced) writeFileSync(join(here, '..', 'profiles', `load-timeline-${rep + 1}.trace.json`), JSON.stringify(traced));
    const inPage = await page.evaluate(() => {
      type Socket = {
        room: string;
        created: number;
        open: number | null;
        firstMessage: number | null;
        large: { at: number; bytes: number }[];
        closed: { at: number; code: number; reason: string } | null;
      };
      const bench = (
        window as unknown as {
          __bench: {
            longTasks: { start: number; duration: number }[];
            firstTextAt: number | null;
            sockets: Socket[];
            // Set by localeDataUse.js.
            localeData: { what: string; start: number; duration: number } | null;
          };
        }
      ).__bench;
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const resources = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((e) => ({
        name: new URL(e.name).pathname,
        start: e.startTime,
        end: e.responseEnd,
        // Asked of the server / its first byte: what waited on the server (or a connection) and what on the transfer.
        sent: e.requestStart,
        firstByte: e.responseStart,
      }));
      return {
        nav: { response: nav.responseEnd, dcl: nav.domContentLoadedEventEnd },
        resources,
        tasks: bench.longTasks,
        sockets: bench.sockets,
        firstText: bench.firstTextAt,
        localeData: bench.localeData,
        // The app's own marks (performance.mark), where it sets any: steps the timeline cannot see from outside.
        marks: performance.getEntriesByType('mark').map((m) => ({ at: m.startTime, name: m.name })),
      };
    });
    const events: { at: number; what: string }[] = [
      { at: inPage.nav.response, what: 'document received' },
      { at: inPage.nav.dcl, what: 'DOMContentLoaded done' },
      ...inPage.resources.flatMap((r) => [
        { at: r.start, what: `→ ${r.name}` },
        {
          at: r.end,
          what: `← ${r.name} (${(r.end - r.start).toFixed(0)} ms: sent after ${(r.sent - r.start).toFixed(0)}, first byte ${(r.firstByte - r.sent).toFixed(0)} later)`,
        },
      ]),
      ...inPage.tasks.map((t) => ({ at: t.start, what: `task ${t.duration.toFixed(0)} ms (until ${(t.start + t.duration).toFixed(0)})` })),
      ...inPage.sockets.flatMap((s) => [
        { at: s.created, what: `ws ${s.room} made` },
        { at: s.open ?? Infinity, what: `ws ${s.room} open (in the page)` },
        { at: s.firstMessage ?? Infinity, what: `ws ${s.room} first message handled` },
        ...s.large.map((m) => ({ at: m.at, what: `ws ${s.room} message of ${(m.bytes / 1024).toFixed(1)} KB handled` })),
        { at: s.closed?.at ?? Infinity, what: `ws ${s.room} closed ${s.closed?.code} ${s.closed?.reason ?? ''}` },
      ]),
      ...inPage.marks.map((m) => ({ at: m.at, what: `mark ${m.name}` })),
      // The browser's locale data, loaded on the page's first Intl formatter or localeCompare (ui/warmLocaleData.ts).
      ...(inPage.localeData
        ? [{ at: inPage.localeData.start, what: `locale data loaded (${inPage.localeData.what}, ${inPage.localeData.duration.toFixed(0)} ms)` }]
        : []),
      { at: inPage.firstText ?? 0, what: 'first screen of text painted' },
      { at: usable, what: 'USABLE' },
    ].filter((e) => e.at <= usable + 1);
    console.log(`\nrun ${rep + 1}, ${pages} pages, CPU ${throttle}×: usable at ${usable.toFixed(0)} ms`);
    for (const e of events.sort((a, b) => a.at - b.at)) console.log(`  ${e.at.toFixed(0).padStart(6)}  ${e.what}`);
    if (traced) console.log(longTasksInTrace(traced, usable));
    await (profile ? profile.close() : context.close());
  }
} finally {
  present?.destroy();
  await browser?.close();
  await stopServer(server, dataDir);
}
