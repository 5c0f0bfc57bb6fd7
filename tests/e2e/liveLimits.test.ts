import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { cast, editorText, useStage, waitForConnection, waitForText, writeAtEnd } from './browser';

const LIMIT = 256 * 1024;
/** A small text cap: one person's share of it is a quarter, 5,000 items. */
const TEXT_ITEMS = 20_000;
const stage = useStage({ maxMessageBytes: LIMIT, updateLimits: { maxDocumentItems: TEXT_ITEMS } });

/** Pastes plain text into the editor as the browser does for Ctrl+V (a paste event with clipboard data). */
async function paste(page: Page, text: string): Promise<void> {
  await page.bringToFront();
  await page.locator('.ProseMirror').evaluate((el, t) => {
    const data = new DataTransfer();
    data.setData('text/plain', t);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

it('refuses a paste over the server’s limit with a message naming both sizes, and the session goes on', async () => {
  const c = await cast(stage.server);
  const ngo = await stage.join(c.url(c.ngo));
  const business = await stage.join(c.url(c.business));
  await writeAtEnd(ngo.page, 'Clause 1.');
  await waitForText(business.page, 'Clause 1.');

  await paste(ngo.page, 'Annex: river gauge readings. '.repeat(14_000)); // about 400 kB
  const refusal = ngo.page.getByTestId('size-refused');
  await refusal.waitFor({ timeout: 10_000 });
  expect(await refusal.textContent()).toMatch(/about 39\d kB.*at most 256 kB/);
  expect(await editorText(ngo.page)).toBe('Clause 1.');

  // Both still edit live: nothing was sent, nobody was cut off.
  await writeAtEnd(business.page, ' Ben still here.');
  await waitForText(ngo.page, 'Ben still here.');
  await writeAtEnd(ngo.page, ' Nia too.');
  await waitForText(business.page, 'Nia too.');
  await waitForConnection(ngo.page, 'live');
  // A paste under the limit goes through.
  await paste(ngo.page, ' A short annex.');
  await waitForText(business.page, 'A short annex.');
  expect(ngo.errors).toEqual([]);
});

it('an observer’s forced write is refused by the server, reverted on their screen and explained', async () => {
  const c = await cast(stage.server);
  const ngo = await stage.join(c.url(c.ngo));
  const observer = await stage.join(c.url(await c.fx.invite({ role: 'observer', name: 'Olu Observer' })));
  await writeAtEnd(ngo.page, 'Agreed text.');
  await waitForText(observer.page, 'Agreed text.');

  // The editor is read-only for an observer; a modified page lifts that and writes anyway, through Tiptap's own commands.
  await observer.page.bringToFront();
  await observer.page.locator('.ProseMirror').evaluate((el) => {
    const { editor } = el as HTMLElement & {
      editor: { unregisterPlugin(name: string): void; commands: { insertContentAt(pos: number, text: string): boolean } };
    };
    editor.unregisterPlugin('readingMode');
    editor.commands.insertContentAt(1, 'FORCED ');
  });
  const notice = observer.page.getByTestId('notice-write-refused');
  await notice.waitFor({ timeout: 10_000 });
  expect(await notice.textContent()).toMatch(/not saved.*reloaded/);
  await observer.page.waitForFunction(() => !document.querySelector('.ProseMirror')?.textContent?.includes('FORCED'), undefined, {
    polling: 50,
    timeout: 10_000,
  });
  await waitForConnection(observer.page, 'live');

  // The reloaded copy keeps following the text, and the forced words reached nobody.
  await writeAtEnd(ngo.page, ' More text.');
  await waitForText(observer.page, 'Agreed text. More text.');
  expect(await editorText(observer.page)).toBe('Agreed text. More text.');
  expect(await editorText(ngo.page)).toBe('Agreed text. More text.');
});

it('a paste past the person’s share of the text is refused, reverted on their screen and explained; the others write on', async () => {
  const c = await cast(stage.server);
  const ngo = await stage.join(c.url(c.ngo));
  const business = await stage.join(c.url(c.business));
  await writeAtEnd(ngo.page, 'Clause 1.');
  await waitForText(business.page, 'Clause 1.');

  await paste(ngo.page, 'Annex: river gauge readings. '.repeat(200)); // 5,800 characters, past a quarter of 20,000
  const notice = ngo.page.getByTestId('notice-write-refused');
  await notice.waitFor({ timeout: 10_000 });
  expect(await notice.textContent()).toMatch(/not saved: you have written your share of this agreement's text.*reloaded/);
  await ngo.page.waitForFunction(() => !document.querySelector('.ProseMirror')?.textContent?.includes('Annex'), undefined, { polling: 50, timeout: 10_000 });
  await waitForConnection(ngo.page, 'live');

  await writeAtEnd(business.page, ' Ben still here.');
  await waitForText(ngo.page, 'Ben still here.');
  await writeAtEnd(ngo.page, ' Nia too.');
  await waitForText(business.page, 'Nia too.');
  expect(await editorText(business.page)).not.toContain('Annex');
});
