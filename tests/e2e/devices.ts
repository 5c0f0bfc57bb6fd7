import type { BrowserContext, CDPSession, Page } from 'playwright-core';

// What a test can change about a context or its page that wiping its storage does not undo.
const LASTING_PAGE_CHANGES = [
  'addInitScript',
  'exposeBinding',
  'exposeFunction',
  'route',
  'routeFromHAR',
  'setViewportSize',
  'emulateMedia',
  'setExtraHTTPHeaders',
  // Listeners stay on the page object and would hear the next test's page.
  'on',
  'addListener',
] as const;
const LASTING_CONTEXT_CHANGES = [
  'addInitScript',
  'exposeBinding',
  'exposeFunction',
  'route',
  'routeFromHAR',
  'setOffline',
  'grantPermissions',
  'setGeolocation',
  'setExtraHTTPHeaders',
  'setHTTPCredentials',
  'newCDPSession',
  'on',
  'addListener',
] as const;

interface Device {
  context: BrowserContext;
  page: Page;
  /** The page's errors, emptied when the device is handed out again. */
  errors: string[];
  /** The test changed it in a lasting way, or closed it: closed after the test, never handed out again. */
  spent: boolean;
  newCDPSession: (page: Page) => Promise<CDPSession>;
}

/** Marks `device` spent when a test calls any of `names` on `target`. */
function watchLastingChanges(target: object, names: readonly string[], device: Device): void {
  const methods = target as Record<string, (...args: unknown[]) => unknown>;
  for (const name of names) {
    const original = methods[name];
    methods[name] = (...args: unknown[]) => {
      device.spent = true;
      return original.apply(target, args);
    };
  }
}

/**
 * The browser contexts a test file opened people in, handed out again to its later tests as new
 * devices. Opening a person in a context that already ran the app (its renderer up, the app's code
 * compiled) took 0.8 s against 2.0 to 2.3 s in a fresh context (six opens each, alone), and the
 * browser files open about 130 people.
 *
 * Between tests a context is wiped as a new device would be: its pages but the first closed, that one
 * on a page of the app's origin that runs no script, and everything the origin stored (local storage,
 * IndexedDB, service workers, caches) cleared; only the browser's HTTP cache and compiled code stay.
 * A context whose test changed it in a way the wipe cannot undo (offline, routes, init scripts,
 * listeners, viewport, media, a CDP session) or closed is closed instead.
 */
export class DevicePool {
  private readonly idle: Device[] = [];
  private readonly inUse: Device[] = [];

  /** `origin`: the app's, whose stored data a wipe clears. */
  constructor(private readonly origin: () => string) {}

  /** A wiped context and its page, or undefined when none is idle. */
  take(): { context: BrowserContext; page: Page; errors: string[] } | undefined {
    const device = this.idle.pop();
    if (!device) return undefined;
    device.errors.length = 0;
    this.inUse.push(device);
    return { context: device.context, page: device.page, errors: device.errors };
  }

  /** Registers a context a test opened afresh, with the page it opened in it and the array its page's errors go to. */
  adopt(context: BrowserContext, page: Page, errors: string[]): void {
    const device: Device = { context, page, errors, spent: false, newCDPSession: context.newCDPSession.bind(context) };
    context.once('close', () => (device.spent = true));
    page.once('close', () => (device.spent = true));
    watchLastingChanges(page, LASTING_PAGE_CHANGES, device);
    watchLastingChanges(context, LASTING_CONTEXT_CHANGES, device);
    this.inUse.push(device);
  }

  /** After each test: every context it used is wiped for the next, or closed. */
  async release(): Promise<void> {
    const used = this.inUse.splice(0);
    await Promise.all(
      used.map(async (device) => {
        if (!device.spent && (await this.wiped(device))) this.idle.push(device);
        else await device.context.close().catch(() => undefined);
      }),
    );
  }

  /** Closes every context, in use or idle (the file is over). */
  async closeAll(): Promise<void> {
    const all = [...this.inUse.splice(0), ...this.idle.splice(0)];
    await Promise.all(all.map((device) => device.context.close().catch(() => undefined)));
  }

  /** Wipes `device` for the next test: false when it could not be (a page would not leave, the clearing failed). */
  private async wiped(device: Device): Promise<boolean> {
    try {
      await this.wipe(device);
      return true;
    } catch {
      return false;
    }
  }

  private async wipe(device: Device): Promise<void> {
    await Promise.all(
      device.context
        .pages()
        .filter((page) => page !== device.page)
        .map((page) => page.close()),
    );
    // Leaving the app closes its sockets and stops its timers; then nothing holds its storage. To a
    // page of the same site, so the renderer process stays for the next test: by way of about:blank,
    // two new renderers started per wipe, and a wipe and the next open cost 2.4 s of CPU against 1.5 s
    // (eight of each, alternated). The service worker leaves /api/ to the network. With the server
    // gone (a test stopped it), about:blank does.
    await device.page.goto(`${this.origin()}/api/health`).catch(() => device.page.goto('about:blank'));
    const cdp = await device.newCDPSession(device.page);
    try {
      await cdp.send('Storage.clearDataForOrigin', { origin: this.origin(), storageTypes: 'all' });
    } finally {
      await cdp.detach();
    }
  }
}
