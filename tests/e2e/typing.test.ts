import { describe, expect, it } from 'vitest';
import { cast, editorText, paragraphs, selectText, typeAtEnd, useStage, waitForConnection, waitForText, writeAtEnd } from './browser';

const stage = useStage();

describe('typing in the text', () => {
  // Playwright types a letter every few milliseconds, as a busy laptop hands over keystrokes
  // that queued behind other work. The first letter of a new paragraph used to land behind
  // the caret when it came before the browser's next frame ("his clause 1 expires.T"): the
  // new block was still skipped by `content-visibility: auto`.
  it('a new paragraph started with Enter and typed at once keeps every letter where it was typed', async () => {
    const c = await cast(stage.server);
    const ngo = await stage.join(c.url(c.ngo));
    const business = await stage.join(c.url(c.business));
    await writeAtEnd(ngo.page, 'Liability is shared between the parties.');
    await ngo.page.keyboard.press('Enter');
    await ngo.page.keyboard.type('Signed by both parties.');
    await waitForText(business.page, 'Signed by both parties.');

    // New paragraphs in the middle of the text, never the last block (which is always rendered).
    await selectText(ngo.page, 'between the parties.', { caretAfter: true });
    const wanted = ['Liability is shared between the parties.'];
    for (let i = 1; i <= 25; i++) {
      await ngo.page.keyboard.press('Enter');
      await ngo.page.keyboard.type(`Clause ${i} expires in 2030.`);
      wanted.push(`Clause ${i} expires in 2030.`);
    }
    wanted.push('Signed by both parties.');
    await waitForText(business.page, 'Clause 25 expires in 2030.');
    expect(await paragraphs(ngo.page)).toEqual(wanted);
    expect(await paragraphs(business.page)).toEqual(wanted);
    expect(ngo.errors).toEqual([]);
    // 650 keystrokes take about 21 s here on a quiet machine: past the default 30 s on a busy one.
  }, 90_000);

  // The block holding the caret is always rendered (caretBlockRendered.ts); it must lay out exactly
  // as the other blocks do, or the text below jumps whenever the caret enters a list.
  it('moving the caret into a list leaves the text below where it was', async () => {
    const c = await cast(stage.server);
    const { page } = await stage.join(c.url(c.ngo));
    await typeAtEnd(page, 'Introduction.');
    await page.keyboard.press('Enter');
    await page.keyboard.type('- first point');
    await page.keyboard.press('Enter');
    await page.keyboard.type('second point');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.keyboard.type('After the list.');
    expect(await page.locator('.ProseMirror > ul > li').allTextContents()).toEqual(['first point', 'second point']);
    const after = page.locator('.ProseMirror > p', { hasText: 'After the list.' });
    const topOf = async () => (await after.boundingBox())?.y;

    await page.locator('.ProseMirror > p', { hasText: 'Introduction.' }).click();
    await page.waitForFunction(() => !document.querySelector('.ProseMirror > ul')?.classList.contains('caret-block'), undefined, { polling: 50 });
    const outside = await topOf();
    expect(outside).toEqual(expect.any(Number));
    await page.locator('.ProseMirror li', { hasText: 'second point' }).click();
    await page.waitForFunction(() => document.querySelector('.ProseMirror > ul')?.classList.contains('caret-block'), undefined, { polling: 50 });
    expect(await topOf()).toBe(outside);
  });
});

describe("a person's second tab", () => {
  // Tabs used to pass each other edits over a BroadcastChannel, before the server had seen them:
  // an edit the server then refused (a read-only role, a locked phase, a bad write) showed in the
  // other tab anyway. Now every tab shows what came through the server, and nothing else.
  it('shows the first tab’s edits only once they came through the server', async () => {
    const c = await cast(stage.server);
    const context = await stage.newContext();
    const first = await context.newPage();
    let holding = false;
    // The first tab's messages to the server are dropped while `holding`: its edit never reaches it.
    await first.routeWebSocket(/\/collab\//, (socket) => {
      const server = socket.connectToServer();
      socket.onMessage((message) => {
        if (!holding) server.send(message);
      });
    });
    await first.goto(c.url(c.ngo));
    await waitForConnection(first, 'live');
    const second = await context.newPage();
    await second.goto(c.url(c.ngo));
    await waitForConnection(second, 'live');
    const business = await stage.join(c.url(c.business));

    holding = true;
    await writeAtEnd(first, 'Held back from the server.');
    // Written after the held edit and relayed by the server: once the second tab shows it, the
    // held edit has had every chance to arrive there by any other way.
    await writeAtEnd(business.page, 'Relayed by the server.');
    await waitForText(second, 'Relayed by the server.');
    expect(await editorText(second)).not.toContain('Held back');
    expect(await editorText(first)).toContain('Held back from the server.');
  });
});
