import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, vi } from 'vitest';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from 'playwright-core';
import { createAgreement, removeDir, startServer, tempDir, type AgreementFixture, type TestServer } from '../support/server';
import type { AppConfig } from '../../server/src/config';
import type { Storage } from '../../server/src/storage/port';
import { waitFor } from '../support/poll';
import { DevicePool } from './devices';
import { contentRoom } from '#shared/rooms';
import { deviceCopyName } from '../../client/src/session/deviceCopyName';
import * as Y from 'yjs';
import type { JSONContent } from '@tiptap/core';
import { connectClient, contentString, synced } from '../support/clients';
import { writeDocument } from '../support/document';
import { readZip } from '../support/zip';

/**
 * Debian's Chromium headless shell (package `chromium-headless-shell`, the same Chromium built without
 * the desktop browser around it, as Playwright uses for headless runs): six browser files took 102 to
 * 120 s and 189 to 224 CPU-s with it against 193 s and 373 CPU-s with the full `chromium` here, same
 * tests passing. The benchmarks keep the full browser: they measure what a person's browser does.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium-headless-shell';
export const DIST = resolve('dist');
/** Per test and hook of a browser test file (useStage): the same as the few that had their own. */
export const BROWSER_TEST_TIMEOUT_MS = 90_000;

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  // No GPU process to start and feed (software compositing runs in the browser process): about
  // a tenth less CPU a page opened, on a machine where every browser test competes for two cores.
  '--in-process-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Fails early with a clear message when the app was not built (`npm test` builds it first). */
export function assertBuilt(): void {
  if (!existsSync(resolve(DIST, 'index.html'))) {
    throw new Error('dist/index.html is missing: run `npx vite build` (npm test does) before the browser tests');
  }
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}

let workersBrowser: Promise<Browser> | undefined;

/**
 * The Chromium of this test worker, shared by the browser files it runs one after another (vitest
 * keeps a worker's modules between files, `isolate: false`): a launch and a close cost about 2.6 s
 * per file under the suite's load, 16 times. A file's people open in contexts of that file
 * (devices.ts), all closed when it ends. Launched again if it went away.
 */
async function browserOfThisWorker(): Promise<Browser> {
  const running = await workersBrowser?.catch(() => undefined);
  if (running?.isConnected()) return running;
  workersBrowser = launchBrowser();
  return workersBrowser;
}

export interface Person {
  context: BrowserContext;
  page: Page;
  /** Page errors seen so far: a test can assert there were none. */
  errors: string[];
}

/** Opens `url` as one person, in a browser context of its own (own storage, own IndexedDB). */
export async function openAs(browser: Browser, url: string): Promise<Person> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(err.message));
  await showEditor(page, url);
  return { context, page, errors };
}

async function showEditor(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.locator('.ProseMirror').waitFor({ state: 'visible', timeout: 15_000 });
}

/** The document's text as written, without the name labels of other people's carets. */
export function editorText(page: Page): Promise<string> {
  return page.locator('.ProseMirror').evaluate(documentText);
}

function documentText(el: Element): string {
  const copy = el.cloneNode(true) as Element;
  copy.querySelectorAll('.collaboration-carets__caret').forEach((caret) => caret.remove());
  return copy.textContent ?? '';
}

export function connectionState(page: Page): Promise<string | null> {
  return page.getByTestId('connection-status').getAttribute('data-state');
}

// Waits in the page read every 50 ms (`polling: 50`), not once a frame (Playwright's default): a
// frame-by-frame wait makes headless Chromium draw every frame, 10 to 16 % of a core each while it
// waits (measured), and the suite runs on two cores. Only a wait that counts frames keeps the default.

/** Waits until the page's indicator shows `state`. */
export async function waitForConnection(page: Page, state: string, timeout = 15_000): Promise<void> {
  await page.waitForFunction((s) => document.querySelector('[data-testid="connection-status"]')?.getAttribute('data-state') === s, state, {
    timeout,
    polling: 50,
  });
}

/** The text's top-level paragraphs, each without the name labels of other people's carets and whatever else `leaveOut` selects. */
export function paragraphs(page: Page, leaveOut: string[] = []): Promise<string[]> {
  return page.locator('.ProseMirror').evaluate(
    (el, selector) =>
      [...el.querySelectorAll(':scope > p')].map((p) => {
        const copy = p.cloneNode(true) as Element;
        copy.querySelectorAll(selector).forEach((node) => node.remove());
        return copy.textContent ?? '';
      }),
    ['.collaboration-carets__caret', ...leaveOut].join(', '),
  );
}

/** Whether leaving the page now would make the browser ask first (the page cancels its `beforeunload`). */
export const asksBeforeLeaving = (page: Page): Promise<boolean> =>
  page.evaluate(() => {
    const leaving = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(leaving);
    return leaving.defaultPrevented;
  });

/** Waits until the document's text contains `text` (caret labels excluded). */
export async function waitForText(page: Page, text: string, timeout = 15_000): Promise<void> {
  await page.waitForFunction(
    (t) => {
      const el = document.querySelector('.ProseMirror');
      if (!el) return false;
      const copy = el.cloneNode(true) as Element;
      copy.querySelectorAll('.collaboration-carets__caret').forEach((caret) => caret.remove());
      return (copy.textContent ?? '').includes(t);
    },
    text,
    { timeout, polling: 50 },
  );
}

/** Clicks at the end of the document and types, as a person would. */
export async function typeAtEnd(page: Page, text: string): Promise<void> {
  await caretAtEnd(page);
  await page.keyboard.type(text);
}

/**
 * Clicks at the end of the document and enters `text` in one input (as an input method or dictation
 * does): for words a test needs in the text, through the editor, where typing them key by key is not
 * what it checks. A key at a time cost about 25 ms of CPU a character with a second page open (2.5 s
 * for two clauses, against 0.13 s), and the browser tests type thousands.
 */
export async function writeAtEnd(page: Page, text: string): Promise<void> {
  await caretAtEnd(page);
  await page.keyboard.insertText(text);
}

async function caretAtEnd(page: Page): Promise<void> {
  await page.bringToFront();
  await page.locator('.ProseMirror').click();
  await page.keyboard.press('Control+End');
}

/**
 * The share of a box on screen, as a person sees it (a screenshot: clipped and covered parts
 * included), that shows `colour` (a CSS rgb() string), within a small tolerance. Decoded in a
 * blank page beside `page`, so the app's content security policy plays no part.
 */
export async function shareOfColour(page: Page, box: { x: number; y: number; width: number; height: number }, colour: string): Promise<number> {
  const shot = await page.screenshot({ clip: box });
  const decoder = await page.context().newPage();
  try {
    return await decoder.evaluate(
      async ({ data, colour }) => {
        const wanted = (colour.match(/\d+/g) ?? []).slice(0, 3).map(Number);
        const image = new Image();
        image.src = `data:image/png;base64,${data}`;
        await image.decode();
        const canvas = document.createElement('canvas');
        canvas.width = image.width;
        canvas.height = image.height;
        const context = canvas.getContext('2d') as CanvasRenderingContext2D;
        context.drawImage(image, 0, 0);
        const pixels = context.getImageData(0, 0, image.width, image.height).data;
        let matching = 0;
        for (let i = 0; i < pixels.length; i += 4) {
          const distance = Math.abs(pixels[i] - wanted[0]) + Math.abs(pixels[i + 1] - wanted[1]) + Math.abs(pixels[i + 2] - wanted[2]);
          if (distance < 40) matching++;
        }
        return matching / (pixels.length / 4);
      },
      { data: shot.toString('base64'), colour },
    );
  } finally {
    await decoder.close();
  }
}

/**
 * Waits until the page's IndexedDB copy (y-indexeddb database `db`) holds `text` in its shared
 * text, read as a page reads it: every record applied (typed words are one record a keystroke).
 * Polled from here, like waitForOfflineShell: `waitForFunction` returns as soon as an async
 * check's promise settles, false or not, so it never waited (and a reload offline right after it
 * found the copy without the last words, 3 times in 12 CI runs). Each poll reads only the records
 * added since the last (a compaction's merge is a new record; applying it again changes nothing):
 * reading a megabyte's copy whole five times a second cost a loaded CI run 25 s in one test.
 */
export async function waitForStoredLocally(page: Page, db: string, text: string, timeoutMs = 30_000): Promise<void> {
  const copy = new Y.Doc();
  let lastKey: number | null = null;
  await waitFor(
    async () => {
      const added = await keyedRecords(page, db, lastKey).catch(() => []);
      if (added.length === 0) return false;
      lastKey = added[added.length - 1].key;
      Y.transact(copy, () => added.forEach(({ record }) => Y.applyUpdate(copy, record)));
      return copy.getXmlFragment('content').toString().includes(text);
    },
    { timeoutMs, intervalMs: 200, what: `${JSON.stringify(text)} in the device's copy ${db}` },
  );
}

/** The name of the device's copy of an agreement's text that the holder of `token` opens (y-indexeddb's database). */
export function deviceCopy(agreementId: string, token: string): string {
  return deviceCopyName(contentRoom(agreementId), token);
}

/**
 * Adds a record to this device's copy (y-indexeddb database `db`), as a page that wrote it and
 * never sent it would have left it. The page must be on the app's origin, with the copy closed.
 */
export function addToDeviceCopy(page: Page, db: string, record: Uint8Array): Promise<void> {
  return page.evaluate(
    ({ db, record }) =>
      new Promise<void>((done, fail) => {
        const open = indexedDB.open(db);
        open.onerror = () => fail(open.error);
        open.onsuccess = () => {
          const put = open.result.transaction('updates', 'readwrite').objectStore('updates').add(new Uint8Array(record));
          put.onsuccess = () => {
            open.result.close();
            done();
          };
          put.onerror = () => fail(put.error);
        };
      }),
    { db, record: [...record] },
  );
}

/** How many records this device's copy (y-indexeddb database `db`) holds, and their bytes. */
export function storedCopy(page: Page, db: string): Promise<{ records: number; bytes: number }> {
  return page.evaluate(
    (db) =>
      new Promise<{ records: number; bytes: number }>((done, fail) => {
        const open = indexedDB.open(db);
        // No copy yet: opening must not create the database (y-indexeddb would then find it without its store).
        let absent = false;
        open.onupgradeneeded = () => {
          absent = true;
          open.transaction?.abort();
        };
        open.onerror = () => (absent ? done({ records: 0, bytes: 0 }) : fail(open.error));
        open.onsuccess = () => {
          const read = open.result.transaction('updates').objectStore('updates').getAll();
          read.onsuccess = () => {
            open.result.close();
            const records = read.result as Uint8Array[];
            done({ records: records.length, bytes: records.reduce((bytes, record) => bytes + record.byteLength, 0) });
          };
        };
      }),
    db,
  );
}

/** Every record of this device's copy (y-indexeddb database `db`), in the order the page reads them. */
export async function storedRecords(page: Page, db: string): Promise<Uint8Array[]> {
  return (await keyedRecords(page, db, null)).map(({ record }) => record);
}

/** The copy's records with keys after `afterKey` (all with null), in key order, carried as base64. */
async function keyedRecords(page: Page, db: string, afterKey: number | null): Promise<{ key: number; record: Uint8Array }[]> {
  const read = await page.evaluate(
    ({ db, afterKey }) =>
      new Promise<{ key: number; base64: string }[]>((done, fail) => {
        const open = indexedDB.open(db);
        // No copy yet: opening must not create the database (y-indexeddb would then find it without its store).
        let absent = false;
        open.onupgradeneeded = () => {
          absent = true;
          open.transaction?.abort();
        };
        open.onerror = () => (absent ? done([]) : fail(open.error));
        open.onsuccess = () => {
          const found: { key: number; base64: string }[] = [];
          const range = afterKey === null ? null : IDBKeyRange.lowerBound(afterKey, true);
          const cursor = open.result.transaction('updates').objectStore('updates').openCursor(range);
          cursor.onerror = () => fail(cursor.error);
          cursor.onsuccess = () => {
            const at = cursor.result;
            if (!at) {
              open.result.close();
              done(found);
              return;
            }
            const bytes = at.value as Uint8Array;
            let binary = '';
            for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
            found.push({ key: at.key as number, base64: btoa(binary) });
            at.continue();
          };
        };
      }),
    { db, afterKey },
  );
  return read.map(({ key, base64 }) => ({ key, record: new Uint8Array(Buffer.from(base64, 'base64')) }));
}

/** The real server serving the built app, one Chromium, and the people a test opened. */
export interface Stage {
  readonly server: TestServer;
  readonly browser: Browser;
  /**
   * Opens a link as a person on a device of their own and waits until its connection is live (a text of a megabyte
   * takes longer on a slowed machine). The device is a browser context an earlier test of the file used, wiped
   * (devices.ts), or a fresh one.
   */
  join(url: string, options?: { liveWithinMs?: number }): Promise<Person>;
  /** A browser context closed after the test (`options`: its time zone, locale…). */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
}

/** Sets up a {@link Stage} for a test file: started before its tests, torn down after them (`storage`: the server's, made for its data folder). */
export function useStage(config: Partial<AppConfig> = {}, storage?: (dataDir: string) => Promise<Storage>): Stage {
  // A browser test opens people (a fresh context costs a new renderer, about 3 s of CPU here)
  // while another file's browser runs beside it on two cores: 30 s caught slow machines, not hangs.
  vi.setConfig({ testTimeout: BROWSER_TEST_TIMEOUT_MS, hookTimeout: BROWSER_TEST_TIMEOUT_MS });
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const devices = new DevicePool(() => stage.server.http);
  beforeAll(async () => {
    assertBuilt();
    const dataDir = config.dataDir ?? (await tempDir());
    server = await startServer({ ...config, dataDir, staticDir: DIST }, await storage?.(dataDir));
    browser = await browserOfThisWorker();
  });
  afterEach(async () => {
    await Promise.all([...contexts.splice(0).map((c) => c.close()), devices.release()]);
  });
  afterAll(async () => {
    vi.resetConfig();
    await devices.closeAll();
    // Contexts a test opened by hand too: none of this file's pages outlives it in the shared browser.
    if (browser?.isConnected()) await Promise.all(browser.contexts().map((context) => context.close()));
    await server?.close();
    if (server) await removeDir(server.dataDir);
  });
  const stage: Stage = {
    get server() {
      if (!server) throw new Error('the stage is not up yet');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('the stage is not up yet');
      return browser;
    },
    async join(url, { liveWithinMs = 15_000 } = {}) {
      let person = devices.take();
      if (person) await showEditor(person.page, url);
      else {
        person = await openAs(stage.browser, url);
        devices.adopt(person.context, person.page, person.errors);
      }
      await waitForConnection(person.page, 'live', liveWithinMs);
      return person;
    },
    async newContext(options = {}) {
      const context = await stage.browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
      contexts.push(context);
      return context;
    },
  };
  return stage;
}

/** A fresh agreement on the stage with its people's tokens, and the link that opens it as each. */
export interface Cast {
  fx: AgreementFixture;
  url(token: string): string;
  /** NGO negotiators (Nia, Noor), a business negotiator (Ben) and a legal reviewer (Lena). */
  ngo: string;
  ngo2: string;
  business: string;
  legal: string;
}

export async function cast(server: TestServer): Promise<Cast> {
  const fx = await createAgreement(server);
  return {
    fx,
    url: (token) => `${server.http}/a/${fx.agreement.id}#token=${token}`,
    ngo: await fx.invite({ role: 'negotiator', name: 'Nia Otieno', party: fx.ngoId }),
    ngo2: await fx.invite({ role: 'negotiator', name: 'Noor Achieng', party: fx.ngoId }),
    business: await fx.invite({ role: 'negotiator', name: 'Ben Kamau', party: fx.businessId }),
    legal: await fx.invite({ role: 'legal', name: 'Lena Vogt' }),
  };
}

/** axe-core's critical and serious findings on a page (or only in the parts `within` selects), one line each (none is the bar). */
export async function seriousFindings(page: Page, within: string[] = []): Promise<string[]> {
  // Legacy mode runs axe in the page itself instead of gathering each frame's results in a blank
  // page it opens (a renderer more per check): half the CPU, 13 s against 28 s for the seven checks
  // of accessibility.test.ts. It does not reach into frames, and the app has none: say so if one comes.
  const frames = page.frames().length;
  if (frames > 1) throw new Error(`the page has ${frames - 1} frame(s): seriousFindings must leave legacy mode to check them`);
  const builder = new AxeBuilder({ page }).setLegacyMode(true);
  for (const selector of within) builder.include(selector);
  const { violations } = await builder.analyze();
  return violations
    .filter((v) => v.impact === 'critical' || v.impact === 'serious')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.nodes.length} × ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(' | ')}`,
    );
}

/**
 * Selects `text` in the agreement with the browser's selection, as a drag of the mouse
 * would; with `caretAfter`, puts the caret just after it instead, as a click there would.
 */
export async function selectText(page: Page, text: string, { caretAfter = false } = {}): Promise<void> {
  await page.bringToFront();
  // Text that has just arrived can still be split by another person's caret label, which
  // follows the text a moment later: wait until the text is in one node.
  await page
    .waitForFunction(
      (wanted) => {
        const walker = document.createTreeWalker(document.querySelector('.ProseMirror')!, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) if (node.textContent?.includes(wanted)) return true;
        return false;
      },
      text,
      { polling: 50, timeout: 10_000 },
    )
    .catch(() => {}); // the evaluate below says what is wrong
  await page.locator('.ProseMirror').evaluate(
    (root, { wanted, caretAfter }) => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent?.indexOf(wanted) ?? -1;
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, caretAfter ? at + wanted.length : at);
        range.setEnd(node, at + wanted.length);
        window.getSelection()!.removeAllRanges();
        window.getSelection()!.addRange(range);
        return;
      }
      throw new Error(`"${wanted}" is not in one text node of the editor`);
    },
    { wanted: text, caretAfter },
  );
  // ProseMirror takes the DOM selection on the next selectionchange event: typing before it would
  // insert at the old caret instead of replacing the selection.
  await page.waitForFunction(
    ({ wanted, caretAfter }) => {
      const selection = window.getSelection();
      if (!caretAfter) return selection?.toString() === wanted;
      return selection?.isCollapsed && selection.anchorNode?.textContent?.slice(0, selection.anchorOffset).endsWith(wanted);
    },
    { wanted: text, caretAfter },
    { polling: 50 },
  );
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/**
 * The visible fields among `fields` (selects and text inputs) whose text is wider than the field
 * shows: a select's chosen option, an input's value or, while empty, its placeholder. Measured
 * with a copy of each field sized to its content (`field-sizing: content`) beside it, so the
 * field's own font, padding and a select's arrow all count. One line each: label, shown, needed.
 */
export function cutFieldTexts(fields: Locator): Promise<string[]> {
  return fields.evaluateAll((elements) =>
    elements.flatMap((element) => {
      const field = element as HTMLInputElement | HTMLSelectElement;
      if (field.offsetParent === null || field.type === 'checkbox' || field.type === 'radio') return [];
      const probe = field.cloneNode(true) as HTMLInputElement | HTMLSelectElement;
      probe.removeAttribute('id');
      if (probe instanceof HTMLSelectElement) probe.selectedIndex = (field as HTMLSelectElement).selectedIndex;
      else probe.value = field.value;
      probe.style.cssText = 'position: absolute; visibility: hidden; width: auto; min-width: 0; max-width: none; flex: none; field-sizing: content';
      field.after(probe);
      const needed = probe.offsetWidth;
      probe.remove();
      const shown = field.offsetWidth;
      return needed > shown + 1 ? [`${field.getAttribute('aria-label') ?? field.id}: ${shown}px of ${needed}px`] : [];
    }),
  );
}

/**
 * The text of each element matching `selector` as Chromium draws it, CSS generated content
 * included (a `::before` counter such as "2. "), read from the browser's accessibility tree.
 */
export async function drawnTexts(page: Page, selector: string): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = (await cdp.send('DOM.getDocument', { depth: 0 })) as { root: { nodeId: number } };
    const { nodeIds } = (await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector })) as { nodeIds: number[] };
    const wanted = await Promise.all(
      nodeIds.map(async (nodeId) => ((await cdp.send('DOM.describeNode', { nodeId })) as { node: { backendNodeId: number } }).node.backendNodeId),
    );
    type AXNode = { nodeId: string; ignored: boolean; role?: { value: string }; name?: { value: string }; childIds?: string[]; backendDOMNodeId?: number };
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: AXNode[] };
    const byId = new Map(nodes.map((n) => [n.nodeId, n]));
    const text = (node: AXNode): string =>
      node.role?.value === 'StaticText'
        ? (node.name?.value ?? '')
        : (node.childIds ?? [])
            .map((id) => byId.get(id))
            .map((n) => (n ? text(n) : ''))
            .join('');
    return wanted.map((backendId) => {
      const node = nodes.find((n) => n.backendDOMNodeId === backendId);
      return node ? text(node) : '';
    });
  } finally {
    await cdp.detach();
  }
}

/**
 * Waits until the service worker controls the page and holds the app's shell: from then on the page
 * reopens offline. Polled from here: `waitForFunction` takes the promise an async check returns for
 * a truthy answer, so it never waited for the worker at all.
 */
export async function waitForOfflineShell(page: Page, timeoutMs = 30_000): Promise<void> {
  await waitFor(() => page.evaluate(async () => !!navigator.serviceWorker.controller && !!(await caches.match('/index.html'))), {
    timeoutMs,
    intervalMs: 100,
    what: 'the app stored on the device for offline use',
  });
}

/** Writes `doc` as the agreement's text through a stock client of `token`'s person, before anyone opens it; done once `lastWords` are in. */
export async function writeBeforeOpening(server: TestServer, agreementId: string, token: string, doc: JSONContent, lastWords: string): Promise<void> {
  const writer = connectClient(server.ws, contentRoom(agreementId), token);
  try {
    await synced(writer);
    writeDocument(writer.doc, doc);
    await waitFor(() => contentString(writer.doc).includes(lastWords), { timeoutMs: 10_000, what: 'the text written' });
  } finally {
    writer.destroy();
  }
}

/** Clicks a button that downloads a .docx named `name`, and answers its `word/document.xml`. */
export async function savedDocumentXml(button: Locator, name: string): Promise<string> {
  const [download] = await Promise.all([button.page().waitForEvent('download'), button.click()]);
  expect(download.suggestedFilename()).toBe(name);
  const downloads = await tempDir('cg-download-');
  const saved = join(downloads, 'export.docx');
  await download.saveAs(saved);
  const xml =
    readZip(await readFile(saved))
      .get('word/document.xml')
      ?.toString('utf8') ?? '';
  await removeDir(downloads);
  return xml;
}
