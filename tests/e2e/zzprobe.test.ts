import { describe, it } from 'vitest';
import type { Page } from 'playwright-core';
import { api } from '../support/server';
import { cast, paragraphs, selectText, typeAtEnd, useStage } from './browser';

const stage = useStage();
const written = (page: Page) => paragraphs(page, ['.suggestion-ins']);
const probe = (page: Page) =>
  page.evaluate(() => {
    const editor = (document.querySelector('.ProseMirror') as unknown as { editor: { state: { doc: { toJSON(): unknown } } } }).editor;
    return JSON.stringify(editor.state.doc.toJSON());
  });

describe('probe', { timeout: 90_000 }, () => {
  it('objective and list', async () => {
    const c = await cast(stage.server);
    const ngo = await stage.join(c.url(c.ngo));
    const legal = await stage.join(c.url(c.legal));
    await typeAtEnd(ngo.page, 'Liability is shared between the parties.');
    await ngo.page.getByRole('button', { name: '+ Objective' }).click();
    await ngo.page.keyboard.type('Clean river water');
    await ngo.page.waitForTimeout(500);
    console.log('doc', await probe(ngo.page));
    await legal.page.bringToFront();
    await legal.page.getByTestId('mode-suggesting').click();
    await legal.page.locator('.ProseMirror:not([aria-readonly])').waitFor();
    await selectText(legal.page, 'river');
    await legal.page.keyboard.type('lake');
    console.log('drafts', await legal.page.locator('.suggestion--draft').count(), await legal.page.evaluate(() => getSelection()?.toString() + '|' + document.activeElement?.className));
    console.log('legal doc', await probe(legal.page));
    await legal.page.waitForTimeout(2000);
    await selectText(legal.page, 'water', { caretAfter: true });
    await legal.page.keyboard.press('Enter');
    await legal.page.keyboard.type('More');
    await legal.page.waitForTimeout(300);
    console.log('notice1', await legal.page.locator('.suggest-bar__notice').allTextContents());
    await selectText(legal.page, 'parties.', { caretAfter: true });
    await legal.page.waitForTimeout(2000);
    console.log('notice2', await legal.page.locator('.suggest-bar__notice').allTextContents());
    // cross-block deletion: from "the parties." into the objective title
    await legal.page.locator('.ProseMirror').evaluate((root) => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      let a: Node | null = null, b: Node | null = null;
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        if (n.textContent?.includes('the parties.')) a = n;
        if (n.textContent?.includes('Clean')) b = n;
      }
      const r = document.createRange();
      r.setStart(a!, a!.textContent!.indexOf('the parties.'));
      r.setEnd(b!, 5);
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(r);
    });
    await legal.page.waitForTimeout(200);
    await legal.page.keyboard.press('Backspace');
    await legal.page.waitForTimeout(2500);
    console.log('notice3', await legal.page.locator('.suggest-bar__notice').allTextContents());
    const list = await api<{ suggestions: unknown[] }>(stage.server, 'GET', `/api/agreements/${c.fx.agreement.id}/suggestions`, undefined, c.ngo);
    console.log('suggestions', JSON.stringify(list.body.suggestions, null, 0));
    console.log('legal written', await written(legal.page));
    console.log('errors', ngo.errors, legal.errors);
  });
});
