import { describe, it } from 'vitest';
import type { Page } from 'playwright-core';
import { api } from '../support/server';
import { cast, selectText, typeAtEnd, useStage, waitForText } from './browser';

const stage = useStage();
const probe = (page: Page) =>
  page.evaluate(() => {
    const editor = (document.querySelector('.ProseMirror') as unknown as { editor: { state: { doc: { toJSON(): unknown } } } }).editor;
    return JSON.stringify(editor.state.doc.toJSON());
  });
const select = (page: Page, a: string, b: string, bOffset: number) =>
  page.locator('.ProseMirror').evaluate(
    (root, { a, b, bOffset }) => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      let na: Node | null = null;
      let nb: Node | null = null;
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (!na && n.textContent?.includes(a)) na = n;
        if (n.textContent?.includes(b)) nb = n;
      }
      const r = document.createRange();
      r.setStart(na!, na!.textContent!.indexOf(a));
      r.setEnd(nb!, nb!.textContent!.indexOf(b) + bOffset);
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(r);
    },
    { a, b, bOffset },
  );

describe('probe', { timeout: 90_000 }, () => {
  it('objective and list', async () => {
    const c = await cast(stage.server);
    const ngo = await stage.join(c.url(c.ngo));
    const legal = await stage.join(c.url(c.legal));
    await typeAtEnd(ngo.page, 'Liability is shared between the parties.');
    await ngo.page.getByRole('button', { name: '+ Objective' }).click();
    await ngo.page.keyboard.type('Clean river water');
    await ngo.page.locator('.ProseMirror p').last().click();
    await ngo.page.keyboard.type('- first item');
    await ngo.page.keyboard.press('Enter');
    await ngo.page.keyboard.type('second item');
    await waitForText(legal.page, 'second item');
    console.log('doc', await probe(ngo.page));
    await legal.page.bringToFront();
    await legal.page.getByTestId('mode-suggesting').click();
    await legal.page.locator('.ProseMirror:not([aria-readonly])').waitFor();
    const notices = async (what: string) => {
      await legal.page.waitForTimeout(2000);
      console.log(what, await legal.page.locator('.suggest-bar__notice').allTextContents());
    };
    await selectText(legal.page, 'water', { caretAfter: true });
    await legal.page.keyboard.press('Enter');
    await legal.page.keyboard.type('More');
    await selectText(legal.page, 'parties.', { caretAfter: true });
    await notices('enter in objective');
    await select(legal.page, 'the parties.', 'Clean', 5);
    await legal.page.keyboard.press('Backspace');
    await selectText(legal.page, 'Liability', { caretAfter: true });
    await notices('cross into objective');
    await selectText(legal.page, 'first');
    await legal.page.keyboard.type('1st');
    await notices('list item text');
    await selectText(legal.page, 'second item');
    await legal.page.keyboard.press('Backspace');
    await selectText(legal.page, 'Liability', { caretAfter: true });
    await notices('list item whole');
    await select(legal.page, 'item', 'second', 3);
    await legal.page.keyboard.press('Backspace');
    await selectText(legal.page, 'Liability', { caretAfter: true });
    await notices('across list items');
    const list = await api<{ suggestions: { kind: string; deleted: string; text?: string; blocks?: unknown }[] }>(stage.server, 'GET', `/api/agreements/${c.fx.agreement.id}/suggestions`, undefined, c.ngo);
    for (const s of list.body.suggestions) console.log('S', JSON.stringify([s.kind, s.deleted, s.text, s.blocks]));
    console.log('errors', ngo.errors, legal.errors);
  });
});
