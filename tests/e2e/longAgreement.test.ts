import { expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Locator, Page } from 'playwright-core';
import type { JSONContent } from '@tiptap/core';
import { contentRoom } from '#shared/rooms';
import { MESSAGE_DEFLATED_SYNC_STEP2 } from '#shared/protocol';
import { connectClient, paragraphText, synced, syncGap, type TestClient } from '../support/clients';
import { heading, longAgreement, objective, paragraph, readDocument, reword, writeDocument } from '../support/document';
import { storeRewordedText, storeText, storedContent } from '../support/stored';
import {
  cast,
  deviceCopy,
  paragraphs,
  storedCopy,
  storedRecords,
  useStage,
  waitForOfflineShell,
  waitForStoredLocally,
  waitForText,
  type Cast,
} from './browser';
import { PIECES_FROM_BYTES, PIECE_STRUCTS } from '../../client/src/session/piecewiseSync';
import { causalPieces } from '#shared/causalPieces';
import { anchorAt, contentFragment } from '#shared/anchors';
import { documentSchema } from '#shared/schema';
import { waitFor } from '../support/poll';
import { api } from '../support/server';

// Issue 17: a long agreement stays quick without losing what people see and do with it.
const stage = useStage();

const BLOCKS = 300;
const END = 'The last clause of the agreement.';

/** A long agreement: headings, paragraphs, an objective every 60 blocks, and {@link END} last. */
function longContent(): JSONContent[] {
  const content: JSONContent[] = [heading(1, 'River Restoration Partnership')];
  for (let i = 0; i < BLOCKS; i++) {
    if (i % 12 === 0) content.push(heading(2, `${i / 12 + 1}. Section`));
    content.push(paragraph(`Clause ${i}: the parties share the monitoring of the river banks and report on it every quarter.`));
    if (i % 60 === 30) content.push(objective(`o${i}`, { title: `Objective ${i}`, intent: 'Clean water' }, { owners: 'Amina' }));
  }
  content.push(paragraph(END));
  return content;
}

/** Writes {@link longContent} through a stock client, returned still connected (threads are anchored in its copy). */
async function writeLongAgreement(c: Cast): Promise<TestClient> {
  const writer = connectClient(stage.server.ws, contentRoom(c.fx.agreement.id), c.ngo);
  try {
    await synced(writer);
    writeDocument(writer.doc, { type: 'doc', content: longContent() });
    return writer;
  } catch (err) {
    writer.destroy();
    throw err;
  }
}

/** Writes a long agreement through a stock client and opens it as Nia. */
async function openLongAgreement(c: Cast, threads = 0): Promise<Page> {
  const writer = await writeLongAgreement(c);
  try {
    const { page } = await stage.join(c.url(c.ngo));
    await waitForText(page, END, 30_000);
    // The server has the text now (the page got it from there): threads can be anchored in it.
    // Threads on the first words of clauses spread through the text, written by the broker.
    const whole = documentSchema().nodeFromJSON({ type: 'doc', content: longContent() });
    const starts: number[] = [];
    whole.forEach((node, offset) => {
      if (node.textContent.startsWith('Clause ')) starts.push(offset + 1);
    });
    for (let i = 0; i < threads; i++) {
      const from = starts[Math.floor((i * starts.length) / threads)];
      const anchor = anchorAt(contentFragment(writer.doc), from, from + 9);
      await waitFor(
        async () =>
          (await api(stage.server, 'POST', `/api/agreements/${c.fx.agreement.id}/threads`, { anchor, body: `Thread ${i}` }, c.fx.brokerToken)).status === 201,
        { timeoutMs: 15_000, intervalMs: 500, what: `thread ${i} created` },
      );
    }
    return page;
  } finally {
    writer.destroy();
  }
}

it(
  '[17] a React render while the caret is in a long text neither reads the whole text nor moves the caret (patches/react-dom)',
  { timeout: 90_000 },
  async () => {
    const c = await cast(stage.server);
    const page = await openLongAgreement(c);
    await page.locator('.ProseMirror p', { hasText: 'Clause 5:' }).click();
    await page.keyboard.press('End');

    // Count reads of text nodes while a panel re-renders (the Show filter changes) with the editor still focused.
    const reads = await page.evaluate(async () => {
      const descriptor = Object.getOwnPropertyDescriptor(Node.prototype, 'nodeValue') as PropertyDescriptor;
      let count = 0;
      Object.defineProperty(Node.prototype, 'nodeValue', {
        ...descriptor,
        get() {
          count++;
          return (descriptor.get as () => string | null).call(this);
        },
      });
      const select = document.querySelector('select[aria-label="Show"]') as HTMLSelectElement;
      try {
        select.value = 'all';
        select.dispatchEvent(new Event('change', { bubbles: true }));
        await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      } finally {
        Object.defineProperty(Node.prototype, 'nodeValue', descriptor);
      }
      return { count, focused: document.activeElement?.classList.contains('ProseMirror'), value: select.value };
    });
    expect(reads.value).toBe('all');
    expect(reads.focused).toBe(true);
    // The unpatched commit reads every text node of the editor (over 300 here).
    expect(reads.count).toBeLessThan(50);

    // The caret is where it was: typing lands at the end of that clause.
    await page.keyboard.type(' Typed here.');
    await page.waitForFunction(
      () => [...document.querySelectorAll('.ProseMirror p')].some((p) => p.textContent?.endsWith('every quarter. Typed here.')),
      undefined,
      { polling: 50 },
    );
    const typed = await page.locator('.ProseMirror p', { hasText: 'Typed here.' }).textContent();
    expect(typed).toMatch(/^Clause 5: .* Typed here\.$/);
  },
);

it('[17] a long agreement opens with every block in the page (find-in-page and print see all of it), editable', { timeout: 90_000 }, async () => {
  const c = await cast(stage.server);
  const page = await openLongAgreement(c);
  // The text is shown a slice per task (a key typed meanwhile shows the rest at once: typingWhileOpening.test.ts).
  await page.waitForFunction(() => document.querySelector('.ProseMirror')?.getAttribute('contenteditable') === 'true', undefined, { polling: 50 });
  const text = await page.evaluate(() => document.querySelector('.ProseMirror')?.textContent ?? '');
  expect(text).toContain('Clause 0:');
  expect(text).toContain('Clause 299:');
  expect(text).toContain(END);
  // The browser's own find reaches blocks far off screen (content-visibility: auto keeps them searchable).
  expect(await page.evaluate((end) => (window as unknown as { find(text: string): boolean }).find(end), END)).toBe(true);
  expect(
    await page.evaluate(() =>
      (window as unknown as { find(text: string, caseSensitive: boolean, backwards: boolean): boolean }).find('Clause 299:', false, true),
    ),
  ).toBe(true);
  expect(await page.locator('.ProseMirror > *').count()).toBeGreaterThan(BLOCKS);
  expect(await page.getByTestId('objective').count()).toBe(5);
});

// Chromium's autofill reads every form field of the page each time fields are added or changed: with
// all thirty objectives' controls made, opening a 60-page agreement spent 140 to 320 ms in autofill's
// tasks, up to 170 ms each just after the text showed. Only the objectives near the screen have them now.
// Before: expected 5 to be 0 (the last objective's five fields made with the page, far off screen).
it(
  '[17] an objective far down a long agreement has its controls made as it nears the screen: stand-ins of the same size before, named and valued as the controls, and a stand-in focused hands the focus to its control',
  { timeout: 90_000 },
  async () => {
    const c = await cast(stage.server);
    const page = await openLongAgreement(c);
    const block = (title: string) => page.getByTestId('objective').filter({ hasText: title });
    const fieldsIn = (title: string) => block(title).locator('input, select').count();
    // The first objective, a screen or two down, is made; the last, pages below, is not.
    await waitFor(async () => (await fieldsIn('Objective 30')) === 5, { timeoutMs: 10_000, what: 'the first objective made' });
    expect(await fieldsIn('Objective 270')).toBe(0);
    // What a screen reader finds there is what the controls would say, with their values.
    const owners = page.getByRole('textbox', { name: 'Owners of “Objective 270”', exact: true });
    expect(await owners.textContent()).toBe('Amina');
    const scope = page.getByRole('combobox', { name: 'Whose objective: “Objective 270”', exact: true });
    // The choices not chosen are there, hidden, for the select's width.
    expect(
      await scope.evaluate((el) => [...el.querySelectorAll('.objective__stand-in-choices > :not([hidden])')].map((choice) => choice.textContent).join()),
    ).toBe('Shared');
    expect(await page.getByRole('checkbox', { name: 'Quick win: “Objective 270”', exact: true }).getAttribute('aria-checked')).toBe('false');

    // Focused from the keyboard without scrolling to it, a stand-in makes the controls and its control takes the focus.
    await block('Objective 210')
      .locator('[aria-label="Indicators of “Objective 210”"]')
      .evaluate((standIn) => (standIn as HTMLElement).focus({ preventScroll: true }));
    await waitFor(() => page.evaluate(() => document.activeElement?.matches('input[aria-label="Indicators of “Objective 210”"]') ?? false), {
      timeoutMs: 10_000,
      what: 'the indicators field focused',
    });
    expect(await fieldsIn('Objective 210')).toBe(5);
    expect(await fieldsIn('Objective 270')).toBe(0);

    // Laid out (the browser skips the layout of blocks off screen), the last objective keeps its height when its controls are made.
    await page.addStyleTag({ content: '.document > * { content-visibility: visible !important; }' });
    const height = () => block('Objective 270').evaluate((el) => el.getBoundingClientRect().height);
    const before = await height();
    expect(await fieldsIn('Objective 270')).toBe(0);
    await block('Objective 270').evaluate((el) => el.scrollIntoView({ block: 'center' }));
    await waitFor(async () => (await fieldsIn('Objective 270')) === 5, { timeoutMs: 10_000, what: 'the last objective made' });
    expect(Math.abs((await height()) - before)).toBeLessThan(1);
    expect(await page.getByRole('textbox', { name: 'Owners of “Objective 270”', exact: true }).inputValue()).toBe('Amina');
  },
);

// A click can reach a stand-in before its controls are made: in the frame after a far jump, or from a
// screen reader's "activate" (a click with no focus first). Before: the click only focused the stand-in,
// the box stayed unticked (expected false to be true), and a reader's click did nothing at all.
it(
  '[17] a click on an objective’s stand-in does what a click on its control does: a box is ticked, a field or a choice takes the focus',
  { timeout: 90_000 },
  async () => {
    const c = await cast(stage.server);
    const page = await openLongAgreement(c);
    // The observer that makes the controls near the screen reports nothing until the test lets it: the
    // frame between a jump and the controls' making, held open.
    await page.addInitScript(() => {
      const Stock = window.IntersectionObserver;
      const held: (() => void)[] = [];
      (window as unknown as { __release: () => void }).__release = () => held.splice(0).forEach((report) => report());
      window.IntersectionObserver = class extends Stock {
        constructor(report: IntersectionObserverCallback, options?: IntersectionObserverInit) {
          const nearScreen = options?.rootMargin === '200% 0px';
          super((entries, observer) => (nearScreen ? held.push(() => report(entries, observer)) : report(entries, observer)), options);
        }
      };
    });
    await page.reload();
    await waitForText(page, END, 30_000);
    const block = page.getByTestId('objective').filter({ hasText: 'Objective 270' });
    await block.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    expect(await block.locator('input, select').count()).toBe(0);

    // A mouse's click on the quick-win box ticks it: the control is made and takes the click.
    await block.getByRole('checkbox', { name: 'Quick win: “Objective 270”', exact: true }).click();
    const quickWin = block.locator('input[aria-label="Quick win: “Objective 270”"]');
    await waitFor(() => quickWin.isChecked().catch(() => false), { timeoutMs: 10_000, what: 'the quick-win box ticked' });
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Quick win: “Objective 270”');
    await waitFor(() => block.evaluate((el) => el.classList.contains('objective--quick-win')), { timeoutMs: 10_000, what: 'the objective marked a quick win' });

    // A screen reader's activation is a click with no focus before it: the next objective's box, still a stand-in.
    const other = page.getByTestId('objective').filter({ hasText: 'Objective 210' });
    expect(await other.locator('input, select').count()).toBe(0);
    await other.getByRole('checkbox', { name: 'Quick win: “Objective 210”', exact: true }).dispatchEvent('click');
    await waitFor(
      () =>
        other
          .locator('input[aria-label="Quick win: “Objective 210”"]')
          .isChecked()
          .catch(() => false),
      {
        timeoutMs: 10_000,
        what: 'the second box ticked',
      },
    );

    // A click on a field's or a choice's stand-in puts the focus in the field, as the control's click would.
    const third = page.getByTestId('objective').filter({ hasText: 'Objective 150' });
    await third.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    expect(await third.locator('input, select').count()).toBe(0);
    await third.getByRole('textbox', { name: 'Owners of “Objective 150”', exact: true }).click();
    await waitFor(() => page.evaluate(() => document.activeElement?.matches('input[aria-label="Owners of “Objective 150”"]') ?? false), {
      timeoutMs: 10_000,
      what: 'the owners field focused',
    });
    await page.keyboard.type(', Ben');
    await waitFor(async () => /Amina.*Ben|Ben.*Amina/.test(await third.locator('input[aria-label="Owners of “Objective 150”"]').inputValue()), {
      timeoutMs: 10_000,
      what: 'the typed owner in the field',
    });
    const fourth = page.getByTestId('objective').filter({ hasText: 'Objective 90' });
    await fourth.evaluate((el) => el.scrollIntoView({ block: 'center' }));
    expect(await fourth.locator('input, select').count()).toBe(0);
    await fourth.getByRole('combobox', { name: 'Whose objective: “Objective 90”', exact: true }).click();
    await waitFor(() => page.evaluate(() => document.activeElement?.matches('select[aria-label="Whose objective: “Objective 90”"]') ?? false), {
      timeoutMs: 10_000,
      what: 'the scope’s choice focused',
    });
    // No text was selected or typed into by those clicks: the last clause is as it was.
    expect((await paragraphs(page)).at(-1)).toBe(END);
    await page.evaluate(() => (window as unknown as { __release: () => void }).__release());
  },
);

it(
  '[17] a first visit stores the app for offline use once the long text is all shown and editable, and in a pause of typing, not while it opens or while the person types',
  { timeout: 90_000 },
  async () => {
    const c = await cast(stage.server);
    const writer = await writeLongAgreement(c);
    try {
      await waitFor(async () => (await storedContent(stage.server, contentRoom(c.fx.agreement.id))).text.includes(END), {
        timeoutMs: 30_000,
        what: 'the long text stored on the server',
      });
    } finally {
      writer.destroy();
    }
    // A first visit: a browser context of its own has no service worker yet.
    const page = await (await stage.newContext()).newPage();
    await page.addInitScript((end) => {
      let lastKeyAt: number | null = null;
      window.addEventListener('keydown', () => (lastKeyAt = performance.now()), true);
      // The person types from the moment the editor is editable until the test's typing is done: the
      // test's own click and typing can come seconds after that on a loaded machine, and a pause
      // there would be a real one (seen in a full run: the app stored before any key, rightly).
      const keys = setInterval(() => {
        const w = window as unknown as { __typingDone?: boolean };
        if (w.__typingDone) clearInterval(keys);
        else if (document.querySelector('.ProseMirror')?.getAttribute('contenteditable') === 'true')
          window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Shift' }));
      }, 250);
      const register = ServiceWorkerContainer.prototype.register;
      ServiceWorkerContainer.prototype.register = function (this: ServiceWorkerContainer, ...args: Parameters<typeof register>) {
        const editor = document.querySelector('.ProseMirror');
        (window as unknown as { __registeredWhen: object }).__registeredWhen = {
          editable: editor?.getAttribute('contenteditable') === 'true',
          lastBlockShown: editor?.lastElementChild?.textContent?.includes(end) ?? false,
          pausedTypingForMs: lastKeyAt === null ? null : Math.round(performance.now() - lastKeyAt),
        };
        return register.apply(this, args);
      };
    }, END);
    await page.goto(c.url(c.business));
    await page.waitForFunction(() => document.querySelector('.ProseMirror')?.getAttribute('contenteditable') === 'true', undefined, { polling: 50 });
    // Typing at once, for longer than the pause the install waits for.
    await page.locator('.ProseMirror p').first().click();
    await page.keyboard.type(' first words of the day', { delay: 120 });
    await page.evaluate(() => ((window as unknown as { __typingDone: boolean }).__typingDone = true));
    await waitForOfflineShell(page);
    const when = await page.evaluate(() => (window as unknown as { __registeredWhen?: { pausedTypingForMs: number } }).__registeredWhen);
    expect(when).toMatchObject({ editable: true, lastBlockShown: true });
    expect(when?.pausedTypingForMs).toBeGreaterThanOrEqual(2_000);
  },
);

it(
  '[17] a long thread list renders only the cards near its view, and a click on a highlight far down still scrolls to and opens its thread',
  { timeout: 120_000 },
  async () => {
    const c = await cast(stage.server);
    const page = await openLongAgreement(c, 40);
    const list = page.getByTestId('shared-threads');
    await page.waitForFunction(() => document.querySelectorAll('.ProseMirror .comment-highlight').length === 40, undefined, { polling: 50, timeout: 30_000 });
    expect(await list.getAttribute('data-windowed')).toBe('true');
    const rendered = await list.getByTestId('thread').count();
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(40);

    // The last thread's passage, far down the text: its card is not rendered until it is asked for.
    const last = page.locator('.ProseMirror .comment-highlight').last();
    const key = await last.getAttribute('data-thread');
    expect(await list.locator(`[data-thread="${key}"]`).count()).toBe(0);
    await last.scrollIntoViewIfNeeded();
    await last.click();
    const card = list.locator(`[data-thread="${key}"]`);
    await card.waitFor({ timeout: 15_000 });
    await page.waitForFunction(
      (k) => {
        const el = document.querySelector(`[data-testid="shared-threads"] [data-thread="${k}"]`);
        const panel = document.querySelector('.workspace__side');
        if (!el || !panel || !el.classList.contains('thread--active')) return false;
        const a = el.getBoundingClientRect();
        const b = panel.getBoundingClientRect();
        return a.bottom > b.top && a.top < b.bottom;
      },
      key,
      { polling: 50, timeout: 15_000 },
    );
    expect(await card.textContent()).toContain('Thread 39');
  },
);

it(
  '[17] Ctrl+End in a long text reaches the end of its last block, typing at once lands there in order, and Shift+Ctrl+End selects to that end',
  { timeout: 90_000 },
  async () => {
    const c = await cast(stage.server);
    const page = await openLongAgreement(c);
    // From the top of the text, straight to its end, far below the screen, and typing without a pause:
    // the last block was skipped by `content-visibility: auto` until the next frame.
    await page.locator('.ProseMirror h1').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' Signed.');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Annex A follows.');
    await waitForText(page, 'Annex A follows.');
    expect((await paragraphs(page)).slice(-2)).toEqual([`${END} Signed.`, 'Annex A follows.']);

    // Selecting from the top to the end takes in the last block whole.
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Shift+Control+End');
    await page.waitForFunction(
      () => {
        const { state } = (
          document.querySelector('.ProseMirror') as unknown as {
            editor: { state: { selection: { from: number; to: number }; doc: { content: { size: number } } } };
          }
        ).editor;
        return state.selection.from === 1 && state.selection.to === state.doc.content.size - 1;
      },
      undefined,
      { polling: 50 },
    );
  },
);

/** How many top-level paragraphs the editor shows (cheap to poll, unlike their text). */
function shownParagraphCount(page: Page): Promise<number> {
  return page.evaluate(() => document.querySelectorAll('.ProseMirror > p').length);
}

/** The first block of the device's copy read whole and as the page reads it, and what either leaves waiting. */
async function describeCopy(records: Uint8Array[]): Promise<string> {
  const firstBlock = (doc: Y.Doc) => paragraphText(doc).toString().slice(0, 60);
  const whole = new Y.Doc();
  Y.transact(whole, () => records.forEach((record) => Y.applyUpdate(whole, record)));
  const inPieces = new Y.Doc();
  for (const piece of causalPieces(Y.mergeUpdates(records), PIECE_STRUCTS)) Y.applyUpdate(inPieces, piece);
  const waits = (doc: Y.Doc) => doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
  return JSON.stringify({
    records: records.length,
    bytes: records.reduce((sum, record) => sum + record.length, 0),
    whole: firstBlock(whole),
    wholeWaits: waits(whole),
    inPieces: firstBlock(inPieces),
    inPiecesWaits: waits(inPieces),
  });
}

/** From now on, notes whether the page shows the catching-up notice (the editor held) even for a moment. */
function watchCatchingUp(page: Page): Promise<void> {
  return page.evaluate(() => {
    const seen = window as unknown as { sawCatchingUp: boolean };
    seen.sawCatchingUp = false;
    new MutationObserver(() => {
      if (document.querySelector('[data-testid="catching-up"]')) seen.sawCatchingUp = true;
    }).observe(document.body, { childList: true, subtree: true });
  });
}

function sawCatchingUp(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { sawCatchingUp: boolean }).sawCatchingUp);
}

/**
 * Where the caret is drawn against what covers the window's top (the sticky header and toolbar) and its bottom edge.
 * Waits (5 s at most, then measures what there is) for a selection the browser can draw: a collapsed range that is not in laid-out text
 * measures as an empty rect at 0,0, which says nothing about where the caret shows (seen once in a full CI run,
 * not reproduced since). `where` names the selection's place in the assertion messages.
 */
async function caretOnScreen(page: Page): Promise<{ top: number; bottom: number; headerBottom: number; windowBottom: number; where: string }> {
  const drawable = () => {
    const selection = getSelection();
    return !!selection && selection.rangeCount > 0 && selection.getRangeAt(0).getBoundingClientRect().height > 0;
  };
  await page.waitForFunction(drawable, undefined, { polling: 50, timeout: 5_000 }).catch(() => undefined);
  return page.evaluate(() => {
    const range = (getSelection() as Selection).getRangeAt(0);
    const caret = range.getBoundingClientRect();
    const bars = [...document.querySelectorAll('.topbar--agreement, [role="toolbar"][aria-label="Formatting"]')];
    const headerBottom = Math.max(...bars.map((bar) => bar.getBoundingClientRect().bottom));
    const container = range.startContainer;
    const where = `caret ${caret.top}..${caret.bottom} in ${container.nodeName} "${(container.textContent ?? '').slice(0, 24)}" at ${range.startOffset}, scrollY ${scrollY}`;
    return { top: caret.top, bottom: caret.bottom, headerBottom, windowBottom: innerHeight, where };
  });
}

/**
 * Clicks into `block` (a paragraph starting with `start`) and waits until the caret is in it. Scrolled to
 * from far above, the blocks passed on the way are laid out as they come into view (content-visibility),
 * and on a loaded machine a click once landed in the objective below the clause (its empty band field):
 * the scroll is let settle first, and a click that missed is made again.
 */
async function clickInto(page: Page, block: Locator, start: string): Promise<void> {
  const caretIn = () =>
    page.evaluate((start) => {
      const node = getSelection()?.anchorNode;
      const element = node instanceof Element ? node : node?.parentElement;
      return !!element?.closest('p')?.textContent?.startsWith(start);
    }, start);
  for (let attempt = 1; ; attempt++) {
    await block.scrollIntoViewIfNeeded();
    await scrollSettled(page, 5);
    await block.click();
    if (await caretIn()) return;
    if (attempt === 3) throw new Error(`three clicks on the paragraph “${start}” left the caret outside it`);
  }
}

/** Scrolls the window so that `block` starts just under the sticky toolbar. */
function scrollUnderToolbar(block: Locator): Promise<void> {
  return block.evaluate((element) => {
    const toolbar = (document.querySelector('[role="toolbar"][aria-label="Formatting"]') as HTMLElement).getBoundingClientRect().bottom;
    window.scrollBy(0, element.getBoundingClientRect().top - toolbar - 2);
  });
}

it(
  '[17] the caret stays in sight while typing moves it: new lines at the bottom of the window scroll it up, joined lines and arrow keys at the top stay clear of the header and toolbar',
  { timeout: 90_000 },
  async () => {
    const c = await cast(stage.server);
    const page = await openLongAgreement(c);
    await page.waitForFunction(() => document.querySelector('.ProseMirror')?.getAttribute('contenteditable') === 'true', undefined, { polling: 50 });

    // The last clause whose line is whole on screen, near the window's bottom edge.
    const bottomClause = await page.evaluate(() => {
      const clauses = [...document.querySelectorAll('.ProseMirror p')].filter((p) => p.textContent?.startsWith('Clause '));
      const whole = clauses.filter((p) => p.getBoundingClientRect().bottom < innerHeight - 4);
      return whole[whole.length - 1].textContent?.slice(0, 11) ?? '';
    });
    await page.locator('.ProseMirror p', { hasText: bottomClause }).click();
    await page.keyboard.press('End');
    for (let line = 1; line <= 8; line++) {
      await page.keyboard.press('Enter');
      await page.keyboard.type(`New line ${line}`);
      await waitForText(page, `New line ${line}`);
      await page.waitForFunction(() => new Promise((resolve) => requestAnimationFrame(() => resolve(true))));
      const caret = await caretOnScreen(page);
      expect(caret.bottom, `after new line ${line}: ${caret.where}`).toBeLessThanOrEqual(caret.windowBottom);
      expect(caret.top, `after new line ${line}: ${caret.where}`).toBeGreaterThanOrEqual(caret.headerBottom);
    }

    // Put the caret at the start of a clause, scroll that clause to just under the toolbar, and join it
    // to the clauses above with Backspace: the caret moves up past the window's top each time.
    const topClause = page.locator('.ProseMirror p', { hasText: 'Clause 150:' });
    await clickInto(page, topClause, 'Clause 150:');
    await page.keyboard.press('Home');
    await scrollUnderToolbar(topClause);
    for (let join = 1; join <= 3; join++) {
      await page.keyboard.press('Backspace');
      await page.waitForFunction(() => new Promise((resolve) => requestAnimationFrame(() => resolve(true))));
      const caret = await caretOnScreen(page);
      expect(caret.top, `after join ${join}: ${caret.where}`).toBeGreaterThanOrEqual(caret.headerBottom);
      expect(caret.bottom, `after join ${join}: ${caret.where}`).toBeLessThanOrEqual(caret.windowBottom);
    }

    // The arrow keys move the caret by the browser's own scrolling: up past the bars, it stops below them.
    await scrollUnderToolbar(topClause);
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await page.waitForFunction(() => new Promise((resolve) => requestAnimationFrame(() => resolve(true))));
    const caret = await caretOnScreen(page);
    expect(caret.top, `after the arrow keys: ${caret.where}`).toBeGreaterThanOrEqual(caret.headerBottom);
  },
);

/** Resolves once the window has not scrolled for `frames` frames in a row (a smooth scroll, and any correction after it, is over). */
function scrollSettled(page: Page, frames = 30): Promise<number> {
  return page.evaluate(
    (wanted) =>
      new Promise<number>((resolve) => {
        let last = NaN;
        let still = 0;
        const tick = () => {
          still = scrollY === last ? still + 1 : 0;
          last = scrollY;
          if (still >= wanted) resolve(scrollY);
          else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
    frames,
  );
}

it('[17] an outline click on a far section right after a long agreement opens lands on that section, below the toolbar', { timeout: 90_000 }, async () => {
  const c = await cast(stage.server);
  const page = await openLongAgreement(c);
  for (const [text, wanted] of [
    ['25. Section', 'heading'],
    ['Objective 270', 'objective'],
    ['3. Section', 'heading'],
  ] as const) {
    await page.getByTestId('outline').getByRole('button', { name: text, exact: true }).click();
    await scrollSettled(page);
    const target =
      wanted === 'heading'
        ? page.locator('.ProseMirror h2', { hasText: new RegExp(`^${text}$`) })
        : page.getByTestId('objective').filter({ hasText: text }).locator('[data-objective-field="title"]');
    const box = (await target.boundingBox())!;
    const covered = await page.locator('.toolbar').evaluate((el) => el.getBoundingClientRect().bottom);
    const height = await page.evaluate(() => innerHeight);
    expect({ text, top: Math.round(box.y), visible: box.y >= covered - 1 && box.y + box.height <= height }).toEqual({
      text,
      top: Math.round(box.y),
      visible: true,
    });
  }
});

// A smooth scroll across thirty pages took over a second to arrive, and laid out every block it
// passed on the way (351 ms of blocked main thread at CPU 3× in bench/client/actions.ts).
it('[17] an outline click on a far section goes there at once, without scrolling through the pages in between', { timeout: 90_000 }, async () => {
  const c = await cast(stage.server);
  const page = await openLongAgreement(c);
  await page.evaluate(() => {
    const w = window as unknown as { __scrolls: number[]; __recording: boolean };
    w.__scrolls = [];
    w.__recording = true;
    const tick = () => {
      if (!w.__recording) return;
      if (w.__scrolls[w.__scrolls.length - 1] !== scrollY) w.__scrolls.push(scrollY);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page.getByTestId('outline').getByRole('button', { name: '25. Section', exact: true }).click();
  await scrollSettled(page);
  const positions = await page.evaluate(() => {
    const w = window as unknown as { __scrolls: number[]; __recording: boolean };
    w.__recording = false;
    return w.__scrolls;
  });
  const box = (await page.locator('.ProseMirror h2', { hasText: /^25\. Section$/ }).boundingBox())!;
  const covered = await page.locator('.toolbar').evaluate((el) => el.getBoundingClientRect().bottom);
  expect(box.y).toBeGreaterThanOrEqual(covered - 1);
  expect(box.y + box.height).toBeLessThanOrEqual(await page.evaluate(() => innerHeight));
  // The start, the jump, and the few exact corrections scrollToBlock makes as the blocks there are laid out.
  expect(positions.length, `scroll positions on the way: ${positions.join(', ')}`).toBeLessThanOrEqual(8);
});

it(
  '[17] a thread’s quote in the side panel jumps to its passage in a long agreement: far down or back up, it lands in sight below the header and toolbar',
  { timeout: 120_000 },
  async () => {
    const c = await cast(stage.server);
    const page = await openLongAgreement(c, 8);
    await page.waitForFunction(() => document.querySelectorAll('.ProseMirror .comment-highlight').length === 8, undefined, { polling: 50, timeout: 30_000 });
    const list = page.getByTestId('shared-threads');
    // Thread 7 is on clause 262, thread 1 on clause 37, thread 5 on clause 187.
    for (const n of [7, 1, 5]) {
      const card = list.getByTestId('thread').filter({ hasText: `Thread ${n}` });
      const key = await card.getAttribute('data-thread');
      await card.getByTestId('thread-quote').click();
      await scrollSettled(page);
      const seen = await page.evaluate((k) => {
        const passage = document.querySelector(`.ProseMirror .comment-highlight[data-thread="${k}"]`)!.getBoundingClientRect();
        const bars = [...document.querySelectorAll('.topbar--agreement, [role="toolbar"][aria-label="Formatting"]')];
        const covered = Math.max(...bars.map((bar) => bar.getBoundingClientRect().bottom));
        return { top: Math.round(passage.top), covered: Math.round(covered), bottom: Math.round(passage.bottom), window: innerHeight };
      }, key);
      expect({ n, ...seen, visible: seen.top >= seen.covered - 1 && seen.bottom <= seen.window }).toEqual({ n, ...seen, visible: true });
    }
  },
);

it(
  '[17] a long text reworded for months opens whole and editable, its copy from the server cut in a worker and applied in pieces',
  { timeout: 120_000 },
  async () => {
    const c = await cast(stage.server);
    const room = contentRoom(c.fx.agreement.id);
    const copy = deviceCopy(c.fx.agreement.id, c.ngo);
    // What a person opens after months of negotiation: 40 pages, each paragraph reworded five times (1 MB of state).
    const { doc } = await storeRewordedText(stage.server, room, 5);
    const expected = documentSchema()
      .nodeFromJSON(readDocument(doc))
      .content.content.filter((block) => block.type.name === 'paragraph')
      .map((block) => block.textContent);

    const { page } = await stage.join(c.url(c.ngo), { liveWithinMs: 60_000 });
    // Counted in the page, where reading every paragraph's text (a copy of 40 pages) ten times a second would slow the load it waits for.
    await waitFor(async () => (await shownParagraphCount(page)) === expected.length, { timeoutMs: 60_000, intervalMs: 100, what: 'every paragraph shown' });
    expect(await paragraphs(page)).toEqual(expected);
    expect(await page.evaluate(() => performance.getEntriesByType('resource').some((entry) => entry.name.includes('pieceCutter.worker')))).toBe(true);

    // Editable once shown, and what is typed reaches the others.
    const reader = connectClient(stage.server.ws, room, c.ngo2);
    try {
      await synced(reader, 30_000);
      await page.locator('.ProseMirror > p').last().click();
      await page.keyboard.press('Control+End');
      await page.keyboard.type(' Agreed.');
      await waitFor(() => reader.doc.getXmlFragment('content').toString().includes('Agreed.'), {
        timeoutMs: 15_000,
        what: 'the typed words at another client',
      });
    } finally {
      reader.destroy();
    }

    // Reopened without a network, the text comes from this device's copy alone: over 256 KB, it too is applied in pieces.
    await waitForStoredLocally(page, copy, 'Agreed.');
    const { bytes: storedBytes } = await storedCopy(page, copy);
    expect(storedBytes).toBeGreaterThanOrEqual(PIECES_FROM_BYTES);
    await waitForOfflineShell(page);
    const shownBefore = await paragraphs(page);
    expect(shownBefore.at(-1)).toMatch(/ Agreed\.$/);
    await page.context().setOffline(true);
    await page.reload();
    await waitFor(async () => (await shownParagraphCount(page)) === shownBefore.length, {
      timeoutMs: 60_000,
      intervalMs: 100,
      what: 'every paragraph shown from the device',
    });
    expect(await paragraphs(page)).toEqual(shownBefore);
    await page.locator('.ProseMirror > p').last().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type(' Offline.');
    await waitForStoredLocally(page, copy, 'Offline.');
  },
);

it('[17] back to a long text written once, this device applies its copy whole: no worker is started to cut it', { timeout: 120_000 }, async () => {
  const c = await cast(stage.server);
  const room = contentRoom(c.fx.agreement.id);
  const copy = deviceCopy(c.fx.agreement.id, c.ngo);
  // 70 pages written in one go: 300 KB, over the size a copy is cut from, but only about 2,000 structs.
  const { doc } = await storeText(stage.server, room, longAgreement(70));
  const expected = documentSchema()
    .nodeFromJSON(readDocument(doc))
    .content.content.filter((block) => block.type.name === 'paragraph').length;
  const { page } = await stage.join(c.url(c.ngo), { liveWithinMs: 60_000 });
  // Each worker the page makes, by its script's address: the cutter's file comes from the offline cache on a return visit.
  await page.addInitScript(() => {
    const made: string[] = [];
    (window as unknown as { __workersMade: string[] }).__workersMade = made;
    window.Worker = class extends window.Worker {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        made.push(String(url));
      }
    };
  });
  await waitFor(async () => (await shownParagraphCount(page)) === expected, { timeoutMs: 60_000, intervalMs: 100, what: 'every paragraph shown' });
  await page.locator('.ProseMirror > p').last().click();
  await page.keyboard.press('Control+End');
  await page.keyboard.type(' Agreed.');
  await waitForStoredLocally(page, copy, 'Agreed.');
  expect((await storedCopy(page, copy)).bytes).toBeGreaterThanOrEqual(PIECES_FROM_BYTES);
  await waitForOfflineShell(page);

  await page.reload();
  await waitFor(async () => (await shownParagraphCount(page)) === expected, { timeoutMs: 60_000, intervalMs: 100, what: 'every paragraph shown again' });
  expect((await paragraphs(page)).at(-1)).toMatch(/ Agreed\.$/);
  expect(await page.evaluate(() => (window as unknown as { __workersMade: string[] }).__workersMade.filter((url) => url.includes('pieceCutter')))).toEqual([]);
});

it(
  '[17] back after a long absence, the changes others made come in pieces: a notice says why the text cannot be edited meanwhile, then it can',
  { timeout: 120_000 },
  async () => {
    const c = await cast(stage.server);
    const room = contentRoom(c.fx.agreement.id);
    const copy = deviceCopy(c.fx.agreement.id, c.ngo);
    const { page } = await stage.join(c.url(c.ngo));
    await page.locator('.ProseMirror').click();
    await page.keyboard.type('Before the break.');
    await waitForStoredLocally(page, copy, 'Before the break.');
    await watchCatchingUp(page);
    await page.context().setOffline(true);
    await page.getByTestId('offline-notice').waitFor();

    // Meanwhile the others write 20 pages and reword them five times: about 500 KB of changes
    // (each round one update, within what the server takes in one).
    const writer = connectClient(stage.server.ws, room, c.ngo2);
    const reader = connectClient(stage.server.ws, room, c.business);
    try {
      await synced(writer, 30_000);
      // Written in a draft (reword takes other client ids) and sent a round at a time.
      const draft = new Y.Doc();
      Y.applyUpdate(draft, Y.encodeStateAsUpdate(writer.doc));
      const rounds: Uint8Array[] = [];
      draft.on('update', (update: Uint8Array) => rounds.push(update));
      writeDocument(draft, longAgreement(20));
      reword(draft, 5);
      for (const update of rounds) Y.applyUpdate(writer.doc, update);
      const wanted = writer.doc.getXmlFragment('content').toString();
      await synced(reader, 30_000);
      // Should it time out, the last try says what the other person lacks and how each connection closed.
      await waitFor(
        () => {
          if (reader.doc.getXmlFragment('content').toString() === wanted) return true;
          throw new Error(syncGap(writer, reader));
        },
        { timeoutMs: 60_000, intervalMs: 50, what: 'the changes at the server' },
      );
      const expected = documentSchema()
        .nodeFromJSON(readDocument(writer.doc))
        .content.content.filter((block) => block.type.name === 'paragraph')
        .map((block) => block.textContent);

      await page.context().setOffline(false);
      await waitFor(async () => JSON.stringify(await paragraphs(page)) === JSON.stringify(expected), {
        timeoutMs: 60_000,
        intervalMs: 200,
        what: 'the changes shown',
      });
      expect(await sawCatchingUp(page)).toBe(true);
      await page.getByTestId('catching-up').waitFor({ state: 'detached' });
      await page.locator('.ProseMirror > p').last().click();
      await page.keyboard.press('Control+End');
      await page.keyboard.type(' Back.');
      await waitFor(() => reader.doc.getXmlFragment('content').toString().includes('Back.'), { timeoutMs: 15_000, what: 'the typed words at another client' });
    } finally {
      writer.destroy();
      reader.destroy();
    }
  },
);

// About 900 paced changes on a 1 MB text: about 40 s alone, 91 s in CI's full run.
it("[17] a long session on a long text: the page's copy on this device is compacted, without holding the editor", { timeout: 240_000 }, async () => {
  const c = await cast(stage.server);
  const room = contentRoom(c.fx.agreement.id);
  const copy = deviceCopy(c.fx.agreement.id, c.ngo);
  await storeRewordedText(stage.server, room, 5);
  const { page } = await stage.join(c.url(c.ngo), { liveWithinMs: 60_000 });
  await page.getByTestId('catching-up').waitFor({ state: 'detached', timeout: 60_000 });
  await watchCatchingUp(page);
  const records = async () => (await storedCopy(page, copy)).records;

  // Others type for a while: the page keeps each change it shows as a record of its copy, and the
  // copy is compacted once it holds 500 (y-indexeddb's limit; y-indexeddb itself waited for a second
  // without changes, then reapplied every record since the page opened, the server's copy among
  // them). Typing stops once the page is past it, and the copy must have shrunk after that pause at
  // the latest.
  const writer = connectClient(stage.server.ws, room, c.ngo2);
  try {
    await synced(writer, 30_000);
    const text = paragraphText(writer.doc);
    let most = 0;
    const shrunk = (now: number) => most >= 400 && now < most / 2;
    for (let i = 0; i < 1500 && most < 550; i++) {
      text.insert(0, String(i % 10));
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (i % 50 === 49) {
        const now = await records();
        if (shrunk(now)) break;
        most = Math.max(most, now);
      }
    }
    await waitFor(async () => shrunk(await records()), { timeoutMs: 30_000, what: `the copy compacted (most records seen: ${most})` });
    // The work is the worker's: the editor was never held (the main thread's share is the bench's to measure).
    expect(await sawCatchingUp(page), 'the editor held').toBe(false);

    // The compacted copy still holds the whole text: reopened offline, the page shows what was typed last.
    text.insert(0, 'Last words. ');
    await waitForStoredLocally(page, copy, 'Last words. ');
    const firstBlock = paragraphText(writer.doc).toString();
    await page.context().setOffline(true);
    await page.reload();
    const shownFirst = () => page.evaluate(() => document.querySelector('.ProseMirror > *')?.textContent ?? '');
    await waitFor(async () => (await shownFirst()) === firstBlock, { timeoutMs: 60_000, what: 'the first block as last typed, from the device' }).catch(
      async (err: Error) => {
        // Should it fail: say whether the device's copy holds the last words, read whole and as the page
        // reads it (merged, in pieces). (CI's failures here came from waitForStoredLocally not waiting.)
        const shown = await shownFirst().catch((e: Error) => `(unreadable: ${e.message})`);
        const described = await describeCopy(await storedRecords(page, copy)).catch((e: Error) => `(unreadable: ${e.message})`);
        throw new Error(
          `${err.message}; shown ${JSON.stringify(shown.slice(0, 60))}, typed ${JSON.stringify(firstBlock.slice(0, 60))}; the copy: ${described}`,
        );
      },
    );
  } finally {
    writer.destroy();
  }
});

it(
  "[17] a long agreement's first copy reaches the page deflated (a third of the bytes on a slow link), and the page shows all of it",
  { timeout: 90_000 },
  async () => {
    const c = await cast(stage.server);
    const writer = await writeLongAgreement(c);
    try {
      const page = await (await stage.newContext()).newPage();
      // The first byte of each binary frame the text's socket receives: its message type.
      const types: number[] = [];
      page.on('websocket', (socket) => {
        if (!socket.url().endsWith(`/collab/${contentRoom(c.fx.agreement.id)}`)) return;
        socket.on('framereceived', ({ payload }) => {
          if (typeof payload !== 'string') types.push(payload[0]);
        });
      });
      await page.goto(c.url(c.ngo));
      await waitForText(page, END, 30_000);
      expect(types).toContain(MESSAGE_DEFLATED_SYNC_STEP2);
      await page.waitForFunction(() => document.querySelector('.ProseMirror')?.getAttribute('contenteditable') === 'true', undefined, { polling: 50 });
      expect(await page.locator('.ProseMirror > *').count()).toBeGreaterThan(BLOCKS);
    } finally {
      writer.destroy();
    }
  },
);
