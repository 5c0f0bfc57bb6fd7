// The browser's own floor, measured beside the app in the same run: the same text as plain
// paragraphs in one contenteditable element (no editor, no collaboration), the same keystrokes
// from the same place, and other people's typing stood in for by text appended to the same two
// paragraphs at the same pace. What the app costs beyond this is the app's; what this costs is
// Chromium's for a page of this length.
import type { Browser } from 'playwright-core';
import type { Fixture } from './agreement';
import { keySteps, slowestTenthSteps, type KeyParts } from './keyParts';
import { mainThreadMeter } from './mainThreadMeter';
import type { KeySteps } from './report';

export interface FloorFigures {
  keyDelays: number[];
  /** The same steps as the app's keystrokes, so the app's excess over the browser shows step by step. */
  keySteps: KeySteps;
  keyTailSteps: KeySteps;
  busyPercent: number;
  busyMsPerKeystroke: number;
  cpuMsPerKeystroke: number;
}

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** The fixture's blocks (`name: text`, as `serverBlocks` reads them) as a plain editable page. */
function floorPage(blocks: string[], typistMarks: string[], intervalMs: number): string {
  const body = blocks
    .map((block) => {
      const [name, ...rest] = block.split(': ');
      const text = escape(rest.join(': '));
      return name === 'heading' ? `<h2>${text}</h2>` : `<p>${text}</p>`;
    })
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><style>
    body { margin: 0; background: #f4f1ea; }
    #text { box-sizing: border-box; width: 760px; margin: 40px auto; padding: 56px 64px; background: #fff; font: 18px/1.7 Georgia, serif; outline: none; }
    #text p { margin: 0 0 0.9em; } #text h2 { font: 700 21px/1.3 sans-serif; }
  </style></head><body><div id="text" contenteditable="true">${body}</div><script>
    // Other people's keystrokes: one character at the end of each of their paragraphs per interval, staggered.
    const marks = ${JSON.stringify(typistMarks)};
    window.startOthers = () => marks.forEach((mark, i) => {
      const p = [...document.querySelectorAll('#text p')].find((el) => el.textContent.startsWith(mark));
      if (!p) throw new Error('no paragraph for ' + mark);
      setTimeout(() => setInterval(() => p.lastChild.appendData('x'), ${intervalMs}), (i * ${intervalMs}) / marks.length);
    });
  </script></body></html>`;
}

export async function floorRun(
  browser: Browser,
  fixture: Fixture,
  blocks: string[],
  options: { throttle: number; otherTypists: number; intervalMs: number; keys: number; instrument: string },
): Promise<FloorFigures> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    if (options.throttle > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: options.throttle });
    await page.addInitScript({ path: options.instrument });
    const url = 'http://floor.localhost/';
    await page.route(url, (route) =>
      route.fulfill({ contentType: 'text/html', body: floorPage(blocks, fixture.typistMarks.slice(0, options.otherTypists), options.intervalMs) }),
    );
    await page.goto(url);
    const mine = page.locator('#text p', { hasText: fixture.pageMark });
    await mine.click();
    await page.keyboard.press('End');
    await page.evaluate(() => (window as unknown as { startOthers(): void }).startOthers());
    await page.keyboard.type('warming up ', { delay: options.intervalMs });
    await page.evaluate(() => {
      const bench = (window as unknown as { __bench: { keys: number[]; keyParts: KeyParts[] } }).__bench;
      bench.keys.length = 0;
      bench.keyParts.length = 0;
    });
    const spent = await mainThreadMeter(cdp);
    const started = Date.now();
    await page.keyboard.type('the quick brown fox jumps over the lazy dog '.repeat(20).slice(0, options.keys), { delay: options.intervalMs });
    const { busyMs, cpuMs } = await spent();
    const wallMs = Date.now() - started;
    const { keyDelays, keyParts } = await page.evaluate(() => {
      const bench = (window as unknown as { __bench: { keys: number[]; keyParts: KeyParts[] } }).__bench;
      return { keyDelays: bench.keys, keyParts: bench.keyParts };
    });
    const othersKeystrokes = Math.round((wallMs / options.intervalMs) * options.otherTypists);
    return {
      keyDelays,
      keySteps: keySteps(keyParts),
      keyTailSteps: slowestTenthSteps(keyParts),
      busyPercent: (100 * busyMs) / wallMs,
      busyMsPerKeystroke: busyMs / (keyDelays.length + othersKeystrokes),
      cpuMsPerKeystroke: cpuMs / (keyDelays.length + othersKeystrokes),
    };
  } finally {
    await context.close();
  }
}
