import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { contentRoom } from '#shared/rooms';
import { waitFor } from '../support/poll';
import { cast, selectText, typeAtEnd, useStage, waitForText } from './browser';

const stage = useStage();

/** The text's blocks as the page shows them: each top-level block (and list item) as "type: words". */
const blocks = (page: Page): Promise<string[]> =>
  page.locator('.ProseMirror').evaluate((root) => {
    const words = (el: Element) => {
      const copy = el.cloneNode(true) as Element;
      copy.querySelectorAll('.collaboration-carets__caret').forEach((caret) => caret.remove());
      return copy.textContent ?? '';
    };
    return [...root.children].flatMap((el) =>
      el.matches('ul, ol') ? [...el.querySelectorAll(':scope > li')].map((li) => `li: ${words(li)}`) : [`${el.tagName.toLowerCase()}: ${words(el)}`],
    );
  });

/**
 * Ctrl+Z takes back the person's own step, never the words someone else typed into it since. Yjs's
 * undo deletes the blocks the step made, and the binding keeps only a paragraph that still holds
 * words: a heading, a list item or an objective went with everything typed into it meanwhile
 * ("expected 'p: ' to contain ' and budget'": Ben's words gone from every page and the server).
 */
describe('undo keeps the words others typed into what it takes back', () => {
  it('a heading made and a list item started, taken back after a colleague typed into them: the colleague’s words stay, on both pages and the server', async () => {
    const c = await cast(stage.server);
    const nia = await stage.join(c.url(c.ngo));
    const ben = await stage.join(c.url(c.business));
    await typeAtEnd(nia.page, 'Scope of work');
    await nia.page.keyboard.press('Enter');
    await nia.page.keyboard.type('Duties:');
    await nia.page.keyboard.press('Enter');
    await nia.page.keyboard.type('- Report yearly.');
    await waitForText(ben.page, 'Report yearly.');

    // Nia makes the first line a heading, then starts a second duty.
    await selectText(nia.page, 'Scope of work', { caretAfter: true });
    await nia.page.getByRole('button', { name: 'H2: heading 2' }).click();
    await selectText(nia.page, 'Report yearly.', { caretAfter: true });
    await nia.page.keyboard.press('Enter');
    await nia.page.keyboard.type('Pay on time.');
    await waitForText(ben.page, 'Pay on time.');

    // Ben adds to both.
    await selectText(ben.page, 'Scope of work', { caretAfter: true });
    await ben.page.keyboard.type(' and budget');
    await selectText(ben.page, 'Pay on time.', { caretAfter: true });
    await ben.page.keyboard.type(' Within 30 days.');
    await waitForText(nia.page, 'Within 30 days.');

    // Nia takes back all she did (steps made within half a second of each other are one).
    await nia.page.bringToFront();
    const undoButton = nia.page.getByRole('button', { name: 'Undo your last change' });
    for (let i = 0; i < 10 && !(await undoButton.isDisabled()); i++) await nia.page.keyboard.press('Control+z');
    await waitFor(async () => !(await blocks(nia.page)).some((b) => b.includes('Pay on time') || b.includes('Duties')), { what: 'Nia’s words taken back' });

    const seenByNia = await blocks(nia.page);
    expect(seenByNia.join(' | ')).toContain(' and budget');
    expect(seenByNia.join(' | ')).toContain(' Within 30 days.');
    await waitFor(async () => (await blocks(ben.page)).join('|') === seenByNia.join('|'), { what: 'both pages alike' });
    const server = await stage.server.app.ctx.rooms.with(contentRoom(c.fx.agreement.id), (room) => room.doc.getXmlFragment('content').toString());
    expect(server).toContain(' and budget');
    expect(server).toContain(' Within 30 days.');
    expect(nia.errors).toEqual([]);
  });
});
