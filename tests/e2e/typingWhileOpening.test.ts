import { expect, it } from 'vitest';
import * as Y from 'yjs';
import type { CDPSession, Page } from 'playwright-core';
import { contentRoom } from '#shared/rooms';
import { connectClient, synced } from '../support/clients';
import { heading, longAgreement } from '../support/document';
import { storeText } from '../support/stored';
import { cast, useStage } from './browser';
import { waitFor } from '../support/poll';

// Issue 17: a long agreement is shown a slice per task after its first screen, so no task of the
// load grows with its length. A person sees that first screen, clicks into it and types: the words
// must be taken (they were dropped, the editor read-only until the last slice) and nothing of the
// rest of the text lost for them.
const stage = useStage();

const TITLE = 'River Restoration Partnership';
const PAGES = 70;
/** A slower laptop (Chromium's CPU throttling): the rest of the text takes long enough to type into. */
const CPU_SLOWDOWN = 4;

/**
 * Opens a 70-page agreement as Nia on a slowed CPU, puts her caret at the end of its title as soon as the title is
 * shown, runs `type`, then lets the CPU run at full speed. Checks the words typed reach the shared text and the page
 * whole, with every block of the text, and that her first input reached the editor before its last block was shown.
 */
async function typeWhileOpening(type: (page: Page, cdp: CDPSession) => Promise<void>, typed: string): Promise<void> {
  const c = await cast(stage.server);
  const room = contentRoom(c.fx.agreement.id);
  const text = longAgreement(PAGES);
  text.content = [heading(1, TITLE), ...(text.content ?? [])];
  const blocks = text.content.length;
  const lastWords = (text.content.at(-1)?.content?.[0]?.text ?? '').slice(-40);
  await storeText(stage.server, room, text);

  const page = await (await stage.newContext()).newPage();
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  // The blocks on the page when the person's first input reached the editor (a key's or an input method's text).
  await page.addInitScript(() => {
    const w = window as unknown as { __shownAtFirstInput?: number };
    const first = () => (w.__shownAtFirstInput ??= document.querySelector('.ProseMirror')?.childElementCount);
    for (const input of ['beforeinput', 'compositionstart']) document.addEventListener(input, first, { capture: true, once: true });
  });
  await page.goto(c.url(c.ngo));
  // The first screen: the title is there, the text's last blocks are not yet.
  // The caret put at the end of the title in the frame it is first drawn, as a person's click there would: the test's
  // own commands to the page (a click, a focus) wait behind the load's tasks, long enough for the rest to be shown.
  await page.waitForFunction(
    (title) => {
      const editor = document.querySelector<HTMLElement>('.ProseMirror');
      const h1 = editor?.querySelector(':scope > h1');
      if (!editor || h1?.textContent !== title) return false;
      editor.focus();
      const caret = document.createRange();
      caret.selectNodeContents(h1);
      caret.collapse(false);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(caret);
      return true;
    },
    TITLE,
    { polling: 'raf', timeout: 60_000 },
  );
  await type(page, cdp);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  // What this test is about: the person typed before the whole text was shown.
  const shownAtFirstInput = await page.evaluate(() => (window as unknown as { __shownAtFirstInput?: number }).__shownAtFirstInput);
  expect(shownAtFirstInput).toBeLessThan(blocks);

  const reader = connectClient(stage.server.ws, room, c.business);
  try {
    await synced(reader);
    const content = reader.doc.getXmlFragment('content');
    await waitFor(() => (content.get(0) as Y.XmlElement).toString().includes(`${TITLE}${typed}<`), {
      timeoutMs: 15_000,
      what: 'the words typed while the text was opening, in the shared text',
    });
    // Nothing else changed: every block is still there, the last one whole.
    expect(content.length).toBe(blocks);
    expect(content.get(blocks - 1).toString()).toContain(lastWords);
    // The page shows the whole text with the typed words, the caret after them.
    await waitFor(async () => (await page.locator('.ProseMirror > *').count()) === blocks, { what: 'every block on the page' });
    await expect.poll(() => page.locator('.ProseMirror > h1').textContent()).toBe(`${TITLE}${typed}`);
    await page.keyboard.type('!');
    await expect.poll(() => page.locator('.ProseMirror > h1').textContent()).toBe(`${TITLE}${typed}!`);
  } finally {
    reader.destroy();
  }
}

it(
  '[17] words typed into the first screen of a long agreement while the rest is still being shown are kept, with the whole text',
  { timeout: 120_000 },
  async () => {
    await typeWhileOpening((page) => page.keyboard.type(' (draft)'), ' (draft)');
  },
);

it(
  '[17] a word composed through an input method into the first screen while the rest is still being shown is kept once, as committed',
  { timeout: 120_000 },
  async () => {
    await typeWhileOpening(async (_page, cdp) => {
      for (const preedit of [' に', ' にほ', ' にほん']) {
        await cdp.send('Input.imeSetComposition', { text: preedit, selectionStart: preedit.length, selectionEnd: preedit.length });
      }
      await cdp.send('Input.insertText', { text: ' 日本' });
    }, ' 日本');
  },
);
