// npx tsx bench/client/factTyping.ts [--pages 60] [--throttle 1] [--reps 3] [--checkout ../other] [--no-build] [--profile]
// Typing in an objective's owners field (a plain input, not the editor) on a long agreement, in
// Debian's Chromium with a person's own profile (autofill on, as in a person's browser): each
// keystroke to the end of its frame, and the main thread's time in Chromium's autofill meanwhile,
// which reads every field of a form after each key typed in it. Not a test: nothing passes or fails.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fillAgreement } from './agreement';
import { openUntilUsable, personalProfile, startServer, stopServer } from './open';
import { startTrace, type TraceEvent } from './trace';
import { median, quantile } from './report';

const here = fileURLToPath(new URL('.', import.meta.url));
const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const root = resolve(flag('checkout', join(here, '..', '..')));
const pages = Number(flag('pages', '60'));
const throttle = Number(flag('throttle', '1'));
const reps = Number(flag('reps', '3'));
const WORDS = ' and the partner organisations of the basin';
/** Writes a CPU profile and a trace of each typing window to bench/profiles/ (read the profile with bench/client/profileTasks.ts). */
const profile = args.includes('--profile');

if (!args.includes('--no-build')) execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });

/** The main thread's tasks posted by Chromium's autofill (ms in all, longest). */
function autofillTasks({ traceEvents }: { traceEvents: TraceEvent[] }): { ms: number; longest: number } {
  const threads = traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  const tasksOf = (t: TraceEvent) => traceEvents.filter((e) => e.pid === t.pid && e.tid === t.tid && e.name === 'ThreadControllerImpl::RunTask');
  // The page's renderer is the one that ran the most tasks (the browser's own pages run few).
  const main = threads.map(tasksOf).sort((a, b) => b.length - a.length)[0] ?? [];
  const autofill = main
    .filter((e) => String((e.args as Record<string, unknown> | undefined)?.src_file ?? '').includes('autofill'))
    .map((e) => (e.dur ?? 0) / 1000);
  return { ms: autofill.reduce((a, b) => a + b, 0), longest: Math.max(0, ...autofill) };
}

// bench/profiles/ is not in the repository: a fresh clone has none.
if (profile) mkdirSync(join(here, '..', 'profiles'), { recursive: true });
const dataDir = mkdtempSync(join(tmpdir(), 'bench-fact-'));
const { http, child } = await startServer(dataDir, root);
try {
  const fixture = await fillAgreement(http, pages, 'paragraph');
  for (let rep = 0; rep < reps; rep++) {
    const profile = await personalProfile(['--headless', '--no-sandbox', '--disable-gpu']);
    try {
      const page = await profile.context.newPage();
      await page.addInitScript({ path: join(here, 'instrument.js') });
      await openUntilUsable(page, fixture);
      // The objective nearest the middle of the text.
      const inputs = page.locator('input[aria-label^="Owners of"]');
      const objectives = await inputs.count();
      const owners = inputs.nth(Math.floor(objectives / 2));
      await owners.scrollIntoViewIfNeeded();
      await owners.click();
      await owners.press('End');
      const cdp = await profile.context.newCDPSession(page);
      if (throttle > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
      await page.keyboard.type(' warm', { delay: 160 });
      await page.evaluate(() => ((window as unknown as { __bench: { keys: number[] } }).__bench.keys.length = 0));
      const stop = await startTrace(cdp, ['devtools.timeline', 'toplevel']);
      if (profile) await cdp.send('Profiler.enable').then(() => cdp.send('Profiler.start'));
      await page.keyboard.type(WORDS, { delay: 160 });
      if (profile) {
        const file = join(here, '..', 'profiles', `fact-typing-${pages}p-${throttle}x-${rep + 1}.cpuprofile`);
        writeFileSync(file, JSON.stringify((await cdp.send('Profiler.stop')).profile));
        console.log(`CPU profile: ${file}`);
      }
      // The last key's frame and the autofill task after it.
      await page.waitForTimeout(1000);
      const trace = await stop();
      if (profile) writeFileSync(join(here, '..', 'profiles', `fact-typing-${pages}p-${throttle}x-${rep + 1}.trace.json`), JSON.stringify(trace));
      const autofill = autofillTasks(trace);
      const keys = await page.evaluate(() => (window as unknown as { __bench: { keys: number[] } }).__bench.keys);
      const p95 = quantile(keys, 0.95);
      console.log(
        `run ${rep + 1}, ${pages} pages (${objectives} objectives), CPU ${throttle}×: keystroke p50 ${median(keys).toFixed(1)} / p95 ${p95.toFixed(1)} ms; ` +
          `autofill ${(autofill.ms / keys.length).toFixed(1)} ms a keystroke, its longest task ${autofill.longest.toFixed(0)} ms`,
      );
    } finally {
      await profile.close();
    }
  }
} finally {
  await stopServer(child, dataDir);
}
