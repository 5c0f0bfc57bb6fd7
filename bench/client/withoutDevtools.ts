// npm run bench -- client without-devtools [--pages 40] [--reps 6] [--no-build]
// The cold load of a long agreement measured from inside the page, in a Chromium that no DevTools
// client is attached to (started as a person would start it, with the agreement's address), beside
// the same load opened through playwright-core (the DevTools protocol attached, as in run.ts and
// loadTimeline.ts, but with none of their instrumentation). Same server, same page script, the two
// ways alternating: what the protocol itself adds to the load and its long tasks.
//
// The page is reached through a small proxy in front of our server, which adds one same-origin
// script to the page's HTML (allowed by the app's CSP, `script-src 'self'`): it records long tasks
// (the long-task API) and the moment the last block is shown in an editable editor, then posts
// them back to the proxy. Everything else, websockets included, passes through unchanged.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { fillAgreement } from './agreement';
import { startServer, stopServer } from './open';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = resolve(here, '..', '..');
const args = process.argv.slice(2);
const flag = (name: string, fallback: string) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const pages = Number(flag('pages', '40'));
const reps = Number(flag('reps', '6'));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--window-size=1280,900'];

interface Report {
  usable: number;
  longTasks: [number, number][];
}

/** The script added to the page: long tasks, and when the last block is shown in an editable editor. */
const probe = (endMark: string) => `(() => {
  const longTasks = [];
  new PerformanceObserver((list) => { for (const e of list.getEntries()) longTasks.push([Math.round(e.startTime), Math.round(e.duration)]); })
    .observe({ type: 'longtask', buffered: true });
  const check = () => {
    const editor = document.querySelector('.ProseMirror[contenteditable="true"]');
    if (!editor?.lastElementChild?.textContent?.includes(${JSON.stringify(endMark)})) return requestAnimationFrame(check);
    const usable = Math.round(performance.now());
    setTimeout(() => fetch('/__report', { method: 'POST', body: JSON.stringify({ usable, longTasks: longTasks.filter(([start]) => start < usable) }) }), 500);
  };
  requestAnimationFrame(check);
})();`;

/** A proxy to `target` that adds the probe to HTML pages and hands each posted report to `onReport`. */
async function startProxy(target: string, endMark: string, onReport: (r: Report) => void): Promise<{ url: string; close: () => void }> {
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    if (req.url === '/__probe.js') {
      res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
      return res.end(probe(endMark));
    }
    if (req.url === '/__report') {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        res.end('ok');
        onReport(JSON.parse(body) as Report);
      });
      return;
    }
    const isPage = req.url?.startsWith('/a/');
    const headers = { ...req.headers, host: upstream.host };
    // The page's HTML is rewritten, so it is asked for uncompressed (it is under 1 KB); the rest as the browser asks.
    if (isPage) delete headers['accept-encoding'];
    const forward = httpRequest({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (answer: IncomingMessage) => {
      if (!isPage || !String(answer.headers['content-type']).includes('text/html')) {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        return answer.pipe(res);
      }
      let html = '';
      answer.on('data', (d) => (html += d));
      answer.on('end', () => {
        const out = html.replace('<head>', '<head><script src="/__probe.js"></script>');
        const { 'content-length': _length, ...rest } = answer.headers;
        res.writeHead(answer.statusCode ?? 200, { ...rest, 'content-length': Buffer.byteLength(out) });
        res.end(out);
      });
    });
    req.pipe(forward);
  });
  // Websockets: the upgrade request is written to the server as it came, then bytes flow both ways.
  server.on('upgrade', (req, socket, head) => {
    const up = connect(Number(upstream.port), upstream.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`, ...Object.entries(req.headers).map(([k, v]) => `${k}: ${k === 'host' ? upstream.host : v}`)];
      up.write(`${lines.join('\r\n')}\r\n\r\n`);
      up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

if (!args.includes('--no-build')) execFileSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
const dataDir = mkdtempSync(join(tmpdir(), 'cg-nodevtools-'));
const { http, child: server } = await startServer(dataDir, root);
let waiting: ((r: Report) => void) | null = null;
const fixture = await fillAgreement(http, pages);
const proxy = await startProxy(http, fixture.endMark, (r) => waiting?.(r));
const url = `${proxy.url}/a/${fixture.id}#token=${fixture.pageToken}`;
const nextReport = (timeoutMs: number) =>
  new Promise<Report>((done, fail) => {
    const timer = setTimeout(() => fail(new Error('no report from the page')), timeoutMs);
    waiting = (r) => {
      clearTimeout(timer);
      waiting = null;
      done(r);
    };
  });

const results: Record<'plain' | 'devtools', Report[]> = { plain: [], devtools: [] };
try {
  for (let rep = 0; rep < reps; rep++) {
    for (const way of rep % 2 ? (['devtools', 'plain'] as const) : (['plain', 'devtools'] as const)) {
      const profile = mkdtempSync(join(tmpdir(), 'cg-nodevtools-profile-'));
      const report = nextReport(60_000);
      if (way === 'plain') {
        // Its own process group, so the whole browser (zygote, renderers) goes at the end.
        const browser = spawn(CHROMIUM, [...CHROMIUM_ARGS, `--user-data-dir=${profile}`, url], { stdio: 'ignore', detached: true });
        const exited = new Promise((done) => browser.once('exit', done));
        try {
          results.plain.push(await report);
        } finally {
          process.kill(-browser.pid!, 'SIGKILL');
          await exited;
        }
      } else {
        const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
        try {
          const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
          await page.goto(url);
          results.devtools.push(await report);
        } finally {
          await browser.close();
        }
      }
      // A process of the browser may still be writing its profile for a moment; a leftover folder in /tmp is harmless.
      try {
        rmSync(profile, { recursive: true, force: true, maxRetries: 5 });
      } catch {}
      const r = results[way].at(-1)!;
      const longest = Math.max(0, ...r.longTasks.map(([, d]) => d));
      console.log(
        `rep ${rep + 1} ${way.padEnd(8)} usable ${r.usable} ms, longest task ${longest} ms, tasks ${r.longTasks.map(([s, d]) => `${s}+${d}`).join(' ')}`,
      );
    }
  }
} finally {
  proxy.close();
  await stopServer(server, dataDir);
}

console.log(`\n| ${pages} pages, CPU 1×, ${reps} loads each | plain Chromium | through the DevTools protocol |`);
console.log('| --- | --- | --- |');
const row = (name: string, f: (r: Report) => number) => console.log(`| ${name} | ${median(results.plain.map(f))} | ${median(results.devtools.map(f))} |`);
row('cold load to usable editor, median (ms)', (r) => r.usable);
row('longest task before usable, median (ms)', (r) => Math.max(0, ...r.longTasks.map(([, d]) => d)));
row('time in long tasks before usable, median (ms)', (r) => r.longTasks.reduce((n, [, d]) => n + d, 0));
row('long tasks before usable, median', (r) => r.longTasks.length);
