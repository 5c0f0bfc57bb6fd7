import { describe, it } from 'vitest';
import type { Page } from 'playwright-core';
import { api } from '../support/server';
import { cast, paragraphs, selectText, typeAtEnd, useStage, waitForText } from './browser';

const stage = useStage();
const written = (page: Page) => paragraphs(page, ['.suggestion-ins']);
const list = async (c: Awaited<ReturnType<typeof cast>>) =>
  (await api<{ suggestions: { kind: string; deleted: string; text?: string; blocks?: unknown; status: string; outdated: boolean; id: string }[] }>(stage.server, 'GET', `/api/agreements/${c.fx.agreement.id}/suggestions`, undefined, c.ngo)).body.suggestions;

describe('probe', { timeout: 90_000 }, () => {
  it('continue typing while accepted; paste', async () => {
    const c = await cast(stage.server);
    const ngo = await stage.join(c.url(c.ngo));
    const legal = await stage.join(c.url(c.legal));
    await typeAtEnd(ngo.page, 'The parties share the cost.');
    await waitForText(legal.page, 'share the cost.');
    await legal.page.bringToFront();
    await legal.page.getByTestId('mode-suggesting').click();
    await selectText(legal.page, 'cost');
    await legal.page.keyboard.type('price');
    await legal.page.waitForTimeout(2000);
    await legal.page.keyboard.type(' and risk');
    const [first] = await list(c);
    console.log('accept', (await api(stage.server, 'POST', `/api/agreements/${c.fx.agreement.id}/suggestions/${first!.id}/accept`, undefined, c.ngo)).status);
    await legal.page.waitForTimeout(300);
    await legal.page.keyboard.type(' too');
    await legal.page.waitForTimeout(2500);
    for (const s of await list(c)) console.log('S', JSON.stringify([s.kind, s.deleted, s.text, s.status, s.outdated]));
    console.log('ngo', await written(ngo.page));
    // paste
    await selectText(legal.page, 'share');
    await legal.page.evaluate(() => {
      const dt = new DataTransfer();
      dt.setData('text/html', '<p>split</p><p>Each pays half.</p>');
      dt.setData('text/plain', 'split\n\nEach pays half.');
      document.querySelector('.ProseMirror')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    });
    await legal.page.waitForTimeout(300);
    console.log('draft after paste', await legal.page.locator('.suggestion--draft').allTextContents(), await legal.page.locator('[data-testid=suggest-draft-waiting]').count());
    legal.page.on('response', async (r) => { if (r.url().includes('/suggestions')) console.log('RESP', r.status(), await r.text().catch(() => '')); });
    legal.page.on('request', (r) => { if (r.url().includes('/suggestions')) console.log('REQ', r.method(), r.postData()?.slice(0, 300)); });
    await selectText(legal.page, 'The', { caretAfter: true });
    await legal.page.locator('.suggest-bar__why').first().click();
    await legal.page.waitForTimeout(2500);
    console.log('notice', await legal.page.locator('.suggest-bar__notice').allTextContents());
    for (const s of await list(c)) console.log('S2', JSON.stringify([s.kind, s.deleted, s.text, s.blocks, s.status, s.outdated]));
    console.log('errors', ngo.errors, legal.errors);
  });
});
