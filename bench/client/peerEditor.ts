// The peer, measured beside the app in the same run: Tiptap 3's collaborative editor as its
// documentation builds it (bench/client/peerPage.ts), on the published packages, synced by the
// y-websocket reference server, holding the same text (its blocks as paragraphs and headings, as
// the browser floor has them), with the same keystrokes from the same place while the same two
// stock clients type. What the app costs beyond it is what the app's features and its own work on
// the binding cost; what it costs beyond the floor is the editor stack's.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { build } from 'vite';
import * as Y from 'yjs';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import { contentFragment } from '../../shared/src/anchors';
// @ts-expect-error: the server bench's launcher is plain JavaScript.
import { startServer } from '../spawn.mjs';
import type { Fixture } from './agreement';
import { keySteps, slowestTenthSteps, type KeyParts } from './keyParts';
import { mainThreadMeter } from './mainThreadMeter';
import { caretAtEndOf, othersDelays, pageClockOffset } from './others';
import { stockTiptapPackages } from './stockTiptap';
import { TRACE_CATEGORIES } from './trace';
import { connectTypist, type Typist } from './typist';
import type { KeySteps } from './report';

export interface PeerFigures {
  usableMs: number;
  keyDelays: number[];
  keySteps: KeySteps;
  keyTailSteps: KeySteps;
  remoteDelays: number[];
  busyPercent: number;
  busyMsPerKeystroke: number;
  cpuMsPerKeystroke: number;
}

/** The peer's server and its bundle, kept for a whole bench run. */
export interface Peer {
  /** Where the page is served from: a loopback address too, as Chromium lets no other page open a socket to one. */
  pageUrl: string;
  ws: string;
  stop(): Promise<void>;
}

const PAGE_STYLE = `body { margin: 0; background: #f4f1ea; }
  .ProseMirror { box-sizing: border-box; width: 760px; margin: 40px auto; padding: 56px 64px; background: #fff; font: 18px/1.7 Georgia, serif; outline: none; white-space: pre-wrap; }
  .ProseMirror p { margin: 0 0 0.9em; } .ProseMirror h2 { font: 700 21px/1.3 sans-serif; }
  .collaboration-carets__caret { border-left: 1px solid; border-right: 1px solid; margin: 0 -1px; position: relative; }
  .collaboration-carets__label { position: absolute; top: -1.4em; left: -1px; font: 600 12px sans-serif; padding: 0 4px; white-space: nowrap; }`;

/** Bundles the peer page (stock Tiptap packages) and starts the y-websocket reference server. */
export async function startPeer(root: string): Promise<Peer> {
  const stock = stockTiptapPackages(root);
  const outDir = mkdtempSync(join(tmpdir(), 'bench-peer-page-'));
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    resolve: {
      // The unpatched copies; what they import comes from this checkout's packages, as one copy each.
      alias: Object.entries(stock).map(([name, dir]) => ({ find: new RegExp(`^${name}$`), replacement: join(dir, entryOf(dir)) })),
      dedupe: [
        'yjs',
        'lib0',
        'y-protocols',
        'y-websocket',
        '@tiptap/core',
        '@tiptap/pm',
        'prosemirror-model',
        'prosemirror-state',
        'prosemirror-view',
        'prosemirror-transform',
      ],
    },
    build: {
      outDir,
      emptyOutDir: true,
      target: 'es2022',
      rolldownOptions: { input: join(root, 'bench', 'client', 'peerPage.ts'), output: { entryFileNames: 'peer.js' } },
    },
  });
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-peer-data-'));
  const server = await startServer('y-websocket-server', dataDir);
  const bundle = readFileSync(join(outDir, 'peer.js'), 'utf8');
  const html = `<!doctype html><html><head><meta charset="utf-8"><style>${PAGE_STYLE}</style></head><body><div id="editor"></div><script type="module" src="/peer.js"></script></body></html>`;
  const pages = createServer((request, response) => {
    const script = request.url === '/peer.js';
    response.writeHead(200, { 'content-type': script ? 'text/javascript' : 'text/html' }).end(script ? bundle : html);
  });
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
  return {
    pageUrl: `http://127.0.0.1:${(pages.address() as AddressInfo).port}/`,
    ws: server.info.ws,
    async stop() {
      await new Promise((resolve) => pages.close(resolve));
      await server.stop();
      for (const dir of [outDir, dataDir, ...Object.values(stock).map((d) => d.split('/node_modules/')[0])]) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function entryOf(packageDir: string): string {
  const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { exports: { '.': { import: string } } };
  return pkg.exports['.'].import;
}

/** Writes the fixture's blocks (`name: text`, as `serverBlocks` reads them) into a new room of the peer's server. */
export async function fillPeerRoom(peer: Peer, room: string, blocks: string[]): Promise<void> {
  const connect = () => {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(peer.ws, room, doc, { WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket, disableBc: true });
    return { doc, provider, synced: new Promise<void>((resolve) => provider.once('sync', () => resolve())) };
  };
  const writer = connect();
  await writer.synced;
  contentFragment(writer.doc).insert(
    0,
    blocks.map((block) => {
      const [name, ...rest] = block.split(': ');
      const element = new Y.XmlElement(name === 'heading' ? 'heading' : 'paragraph');
      if (name === 'heading') element.setAttribute('level', 2 as unknown as string);
      element.insert(0, [new Y.XmlText(rest.join(': '))]);
      return element;
    }),
  );
  // Held by the server once a fresh client reads every block.
  const reader = connect();
  try {
    await reader.synced;
    for (let tries = 0; contentFragment(reader.doc).length < blocks.length; tries++) {
      if (tries > 200) throw new Error(`the peer's server holds ${contentFragment(reader.doc).length} of ${blocks.length} blocks`);
      await new Promise((r) => setTimeout(r, 50));
    }
  } finally {
    for (const { provider, doc } of [writer, reader]) {
      provider.destroy();
      doc.destroy();
    }
  }
}

export async function peerRun(
  browser: Browser,
  peer: Peer,
  room: string,
  fixture: Fixture,
  options: { throttle: number; otherTypists: number; intervalMs: number; keys: number; instrument: string; traceTo?: string; profileTo?: string },
): Promise<PeerFigures> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const typists: Typist[] = [];
  try {
    const page = await context.newPage();
    // A peer page that fails says why, instead of timing out.
    page.on('pageerror', (error) => console.error(`peer page: ${error.message}`));
    page.on('console', (message) => message.type() === 'error' && console.error(`peer page: ${message.text()}`));
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    if (options.throttle > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: options.throttle });
    await page.addInitScript({ path: options.instrument });
    await page.goto(`${peer.pageUrl}?ws=${encodeURIComponent(peer.ws)}&room=${encodeURIComponent(room)}`);
    const usable = await page.waitForFunction(
      (end) => (document.querySelector('.ProseMirror[contenteditable="true"]')?.lastElementChild?.textContent?.includes(end) ? performance.now() : false),
      fixture.endMark,
      { polling: 'raf', timeout: 120_000 },
    );
    const usableMs = (await usable.jsonValue()) as number;
    await page.evaluate((marks) => (window as unknown as { __bench: { watch(m: string[]): void } }).__bench.watch(marks), fixture.typistMarks);
    await page.locator('.ProseMirror p', { hasText: fixture.pageMark }).click();
    await caretAtEndOf(page, '.ProseMirror p', fixture.pageMark);
    for (let i = 0; i < Math.min(options.otherTypists, fixture.typistMarks.length); i++)
      typists.push(await connectTypist(peer.ws, room, 'peer', fixture.typistMarks[i]));
    for (const t of typists) t.start(options.intervalMs);
    await page.keyboard.type('warming up ', { delay: options.intervalMs });
    await page.evaluate(() => {
      const bench = (window as unknown as { __bench: { keys: number[]; keyParts: KeyParts[] } }).__bench;
      bench.keys.length = 0;
      bench.keyParts.length = 0;
    });
    const sentBefore = typists.map((t) => t.sentAt.length);
    const offsetBefore = await pageClockOffset(page);
    if (options.traceTo) await browser.startTracing(page, { categories: TRACE_CATEGORIES });
    if (options.profileTo) await cdp.send('Profiler.enable').then(() => cdp.send('Profiler.start'));
    const spent = await mainThreadMeter(cdp);
    const started = Date.now();
    await page.keyboard.type('the quick brown fox jumps over the lazy dog '.repeat(20).slice(0, options.keys), { delay: options.intervalMs });
    const { busyMs, cpuMs } = await spent();
    if (options.profileTo) writeFileSync(options.profileTo, JSON.stringify((await cdp.send('Profiler.stop')).profile));
    // For bench/client/keyTrace.ts, beside the app's trace of the same setting.
    if (options.traceTo) writeFileSync(options.traceTo, await browser.stopTracing());
    const wallMs = Date.now() - started;
    const sentDuring = typists.reduce((n, t, i) => n + t.sentAt.length - sentBefore[i], 0);
    for (const t of typists) t.stop();
    await page.waitForTimeout(options.throttle > 1 ? 8000 : 2000);
    const offset = (offsetBefore + (await pageClockOffset(page))) / 2;
    const measured = await page.evaluate(() => {
      const bench = (window as unknown as { __bench: { keys: number[]; keyParts: KeyParts[]; remote: Record<string, { length: number; at: number }[]> } })
        .__bench;
      return { keys: bench.keys, keyParts: bench.keyParts, remote: bench.remote };
    });
    return {
      usableMs,
      keyDelays: measured.keys,
      keySteps: keySteps(measured.keyParts),
      keyTailSteps: slowestTenthSteps(measured.keyParts),
      remoteDelays: othersDelays(typists, fixture.typistMarks, measured.remote, sentBefore, offset),
      busyPercent: (100 * busyMs) / wallMs,
      busyMsPerKeystroke: busyMs / (measured.keys.length + sentDuring),
      cpuMsPerKeystroke: cpuMs / (measured.keys.length + sentDuring),
    };
  } finally {
    for (const t of typists) t.destroy();
    await context.close();
  }
}
