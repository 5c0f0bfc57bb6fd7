import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { waitFor } from '../support/poll';
import {
  asksBeforeLeaving,
  cast,
  editorText,
  paragraphs,
  selectText,
  shareOfColour,
  typeAtEnd,
  useStage,
  waitForConnection,
  waitForText,
  writeAtEnd,
  type Person,
} from './browser';

const stage = useStage();

const newCast = () => cast(stage.server);

const join = (url: string): Promise<Person> => stage.join(url);

/** A page in a browser context of its own, closed after the test. */
async function newPage(): Promise<Page> {
  return (await stage.newContext()).newPage();
}

describe('live co-editing in the browser', () => {
  it('shows text typed by one negotiator in the other’s editor, with the typist’s caret label', async () => {
    const c = await newCast();
    const ngo = await join(c.url(c.ngo));
    const business = await join(c.url(c.business));

    await typeAtEnd(ngo.page, 'The parties agree to restore the Nzoia river.');
    await waitForText(business.page, 'The parties agree to restore the Nzoia river.');

    const label = business.page.locator('.ProseMirror .collaboration-carets__label', { hasText: 'Nia Otieno' });
    await label.waitFor({ state: 'visible', timeout: 10_000 });
    expect(await editorText(business.page)).toBe('The parties agree to restore the Nzoia river.');
    expect(ngo.errors).toEqual([]);
    expect(business.errors).toEqual([]);
  });

  it("shows a caret label whole above a block's first line and at the end of a full line (a block clips what it paints to its box)", async () => {
    const c = await newCast();
    const ngo = await join(c.url(c.ngo));
    const business = await join(c.url(c.business));
    const long = 'First clause: the parties agree to restore the Nzoia river bank together and to report on their progress every quarter, in public.';
    await typeAtEnd(ngo.page, long);
    await ngo.page.keyboard.press('Enter');
    await ngo.page.keyboard.type('Second clause.');
    await ngo.page.keyboard.press('Enter');
    await ngo.page.keyboard.type('Third clause.');
    await waitForText(business.page, 'Third clause.');
    const label = business.page.locator('.ProseMirror .collaboration-carets__label', { hasText: 'Nia Otieno' });
    const background = await label.evaluate((el) => getComputedStyle(el).backgroundColor);
    /** Where the label and its paragraph are in Ben's window. */
    const place = async () => {
      const box = await label.boundingBox();
      if (!box) throw new Error('the label has no box');
      const paragraph = await label.evaluate((el) => {
        const p = el.closest('p') as HTMLElement;
        const rect = p.getBoundingClientRect();
        return { text: p.textContent ?? '', top: rect.top, right: rect.right };
      });
      return { box, paragraph };
    };
    const share = (box: { x: number; y: number; width: number; height: number }) =>
      shareOfColour(
        business.page,
        { x: Math.ceil(box.x), y: Math.ceil(box.y), width: Math.floor(box.width) - 1, height: Math.floor(box.height) - 1 },
        background,
      );

    // Nia's caret at the end of a block's only line: the label stands above the paragraph's box.
    await selectText(ngo.page, 'Second clause.', { caretAfter: true });
    await waitFor(async () => (await place()).paragraph.text.startsWith('Second clause.'), { what: "Nia's caret in the second paragraph" });
    const { box, paragraph } = await place();
    expect(box.y, 'the label stands above its line').toBeLessThan(paragraph.top);
    const above = await share({ ...box, height: paragraph.top - box.y });
    const below = await share({ ...box, y: paragraph.top, height: box.y + box.height - paragraph.top });
    expect(below).toBeGreaterThan(0.3);
    expect(above).toBeGreaterThan(below * 0.6);

    // Her caret before the last letter of the first line of a paragraph that fills it: the label runs past the text's right edge.
    await ngo.page
      .locator('.ProseMirror p')
      .first()
      .evaluate((p) => {
        const text = p.firstChild as Text;
        const topOf = (i: number) => {
          const range = document.createRange();
          range.setStart(text, i);
          range.setEnd(text, i + 1);
          return range.getBoundingClientRect().top;
        };
        let end = 1;
        while (end < text.length && topOf(end) === topOf(0)) end++;
        const range = document.createRange();
        range.setStart(text, end - 2);
        const selection = getSelection() as Selection;
        selection.removeAllRanges();
        selection.addRange(range);
      });
    await waitFor(
      async () => {
        const now = await place();
        return now.paragraph.text.startsWith('First clause') && now.box.x + now.box.width > now.paragraph.right + 20;
      },
      { what: "Nia's label past the right edge of the first paragraph's text" },
    );
    const atEnd = await place();
    const half = atEnd.box.width / 2;
    const left = await share({ ...atEnd.box, width: half });
    const right = await share({ ...atEnd.box, x: atEnd.box.x + half, width: half });
    expect(left).toBeGreaterThan(0.3);
    expect(right).toBeGreaterThan(left * 0.6);
  });

  it('[17] opens one connection to the text, before the page has rendered (its records room comes later), and is live on it', async () => {
    const c = await newCast();
    const ngo = await join(c.url(c.ngo));
    await writeAtEnd(ngo.page, 'Written before Ben opened it.');
    const page = await newPage();
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(new URL(socket.url()).pathname.split('/').pop() ?? ''));
    await page.goto(c.url(c.business));
    await waitForConnection(page, 'live');
    await waitForText(page, 'Written before Ben opened it.');
    const id = c.fx.agreement.id;
    await waitFor(() => sockets.includes(`${id}.records`), { what: 'the records room joined' });
    // The text's session opens from the entry chunk (client/src/agreement/prefetch.ts); the page takes it.
    expect(sockets.filter((room) => room === id)).toHaveLength(1);
    expect(sockets.indexOf(id)).toBeLessThan(sockets.indexOf(`${id}.records`));
    await typeAtEnd(page, ' Ben replies.');
    await waitForText(ngo.page, 'Ben replies.');
  });

  it('lists both people present with their role and party', async () => {
    const c = await newCast();
    const ngo = await join(c.url(c.ngo));
    const business = await join(c.url(c.business));

    for (const { page } of [ngo, business]) {
      const list = page.getByTestId('people-present');
      await list.locator('[data-person="Nia Otieno"]', { hasText: 'Negotiator · WaterAid Kenya' }).waitFor();
      await list.locator('[data-person="Ben Kamau"]', { hasText: 'Negotiator · Acme Beverages' }).waitFor();
    }
    await expect(ngo.page.getByTestId('role-badge').textContent()).resolves.toContain('Negotiator');
  });

  it('keeps the legal reviewer’s editor read-only while the text updates live', async () => {
    const c = await newCast();
    const ngo = await join(c.url(c.ngo));
    const legal = await join(c.url(c.legal));

    await writeAtEnd(ngo.page, 'Clause 1. Scope.');
    await waitForText(legal.page, 'Clause 1. Scope.');

    const editor = legal.page.locator('.ProseMirror');
    expect(await editor.getAttribute('aria-readonly')).toBe('true');
    await legal.page.getByTestId('readonly-badge').waitFor({ state: 'visible' });
    expect(await legal.page.getByRole('button', { name: 'Bold' }).isDisabled()).toBe(true);

    await legal.page.bringToFront();
    await editor.click();
    await legal.page.keyboard.type('LEGAL EDIT');
    await legal.page.keyboard.press('Enter');
    await legal.page.keyboard.insertText('PASTED BY LEGAL');

    // A later edit by the negotiator arrives; nothing the reviewer typed is anywhere.
    await writeAtEnd(ngo.page, ' Clause 2. Duration.');
    await waitForText(legal.page, 'Clause 2. Duration.');
    expect(await editorText(legal.page)).toBe('Clause 1. Scope. Clause 2. Duration.');
    expect(await editorText(ngo.page)).toBe('Clause 1. Scope. Clause 2. Duration.');
  });

  it('undoes only the undoing person’s own text', async () => {
    const c = await newCast();
    const ngo = await join(c.url(c.ngo));
    const business = await join(c.url(c.business));

    // One insertion is one undo step, however slowly the machine types.
    await typeAtEnd(ngo.page, '');
    await ngo.page.keyboard.insertText('Alpha from the NGO.');
    await waitForText(business.page, 'Alpha from the NGO.');
    await typeAtEnd(business.page, '');
    await business.page.keyboard.press('Enter');
    await business.page.keyboard.type('Beta from the business.');
    await waitForText(ngo.page, 'Beta from the business.');

    await ngo.page.bringToFront();
    await ngo.page.getByRole('button', { name: 'Undo your last change' }).click();

    for (const { page } of [ngo, business]) {
      await page.waitForFunction(() => !document.querySelector('.ProseMirror')?.textContent?.includes('Alpha'), undefined, { polling: 50 });
      expect(await editorText(page)).toBe('Beta from the business.');
    }
  });

  it('puts the caret back where the undone text was, and keeps it where the person puts it while others type', async () => {
    const c = await newCast();
    const ngo = await join(c.url(c.ngo));
    const business = await join(c.url(c.business));
    await typeAtEnd(business.page, '');
    await business.page.keyboard.insertText('First clause.');
    await business.page.keyboard.press('Enter');
    await business.page.keyboard.insertText('Second clause.');
    await waitForText(ngo.page, 'Second clause.');

    // The NGO adds to the first clause, goes on to the second, and undoes: the caret goes back to
    // where the undone text was, so the next letter lands there.
    await selectText(ngo.page, 'First clause.', { caretAfter: true });
    await ngo.page.keyboard.insertText(' Added.');
    await selectText(ngo.page, 'Second clause.', { caretAfter: true });
    await ngo.page.keyboard.press('Control+z');
    await ngo.page.waitForFunction(() => !document.querySelector('.ProseMirror')?.textContent?.includes('Added'), undefined, { polling: 50 });
    await ngo.page.keyboard.insertText('Q');
    await waitFor(async () => (await paragraphs(ngo.page))[0] === 'First clause.Q', { what: 'the letter typed after the undo where the undone text was' });

    // Undo again, then put the caret elsewhere: the business typing meanwhile must not move it.
    await ngo.page.keyboard.press('Control+z');
    await ngo.page.waitForFunction(() => !document.querySelector('.ProseMirror')?.textContent?.includes('Q'), undefined, { polling: 50 });
    await selectText(ngo.page, 'Second clause.', { caretAfter: true });
    await selectText(business.page, 'First clause.', { caretAfter: true });
    await business.page.keyboard.insertText(' Z.');
    await waitForText(ngo.page, 'First clause. Z.');
    await ngo.page.bringToFront();
    await ngo.page.keyboard.insertText('W');
    await waitFor(async () => (await paragraphs(business.page)).join('|') === 'First clause. Z.|Second clause.W', {
      what: "the NGO's letter where the NGO put the caret",
    });
  });
});

describe('start page and invitations', () => {
  it('creates an agreement from the form, invites a negotiator and co-edits with them', async () => {
    const broker = await newPage();
    await broker.goto(`${stage.server.http}/`);

    expect(await asksBeforeLeaving(broker)).toBe(false);
    // Any field typed in holds the page: the browser asks before the form is lost.
    await broker.getByLabel('Party 1 name').fill('WaterAid Kenya');
    expect(await asksBeforeLeaving(broker)).toBe(true);
    await broker.getByLabel('Title').fill('Schools water partnership');
    await broker.getByLabel('Party 2 name').fill('Acme Beverages');
    await broker.getByRole('button', { name: '+ Add party' }).click();
    await broker.getByLabel('Party 3 name').fill('Kisumu County');
    await broker.getByLabel('Party 3 sector').selectOption('public');
    await broker.getByLabel('Your name').fill('Brook Broker');
    await broker.getByRole('button', { name: 'Create agreement' }).click();

    await broker.getByTestId('agreement-title').getByText('Schools water partnership').waitFor();
    await waitForConnection(broker, 'live');
    // The token moved from the address bar to this device's storage.
    expect(new URL(broker.url()).hash).toBe('');
    // The form is gone with what it held: nothing asks on the new agreement's page.
    await expect.poll(() => asksBeforeLeaving(broker), { timeout: 15_000 }).toBe(false);
    expect(await broker.getByTestId('role-badge').textContent()).toContain('Broker');
    expect(await broker.locator('.party-chip').allTextContents()).toEqual(['WaterAid KenyaNGO', 'Acme BeveragesBusiness', 'Kisumu CountyPublic body']);

    const invite = broker.getByTestId('invite-panel');
    await invite.getByLabel('Role').selectOption('negotiator');
    await invite.getByLabel('Name').fill('Ben Kamau');
    await invite.getByLabel('Party').selectOption({ label: 'Acme Beverages' });
    await invite.getByRole('button', { name: 'Create invitation link' }).click();
    const link = await broker.getByLabel('Invitation link').inputValue();
    expect(link).toMatch(new RegExp(`^${stage.server.http}/a/[A-Za-z0-9_-]+#token=.+`));

    const guest = await newPage();
    await guest.goto(link);
    await waitForConnection(guest, 'live');
    expect(await guest.getByTestId('role-badge').textContent()).toBe('Negotiator · Acme Beverages');
    expect(await guest.getByTestId('invite-panel').count()).toBe(0);

    await writeAtEnd(guest, 'Acme funds the pumps.');
    await waitForText(broker, 'Acme funds the pumps.');

    // The start page now lists the agreement, and its link reopens it without the token in the URL.
    await broker.goto(`${stage.server.http}/`);
    await broker.getByRole('link', { name: /Schools water partnership/ }).click();
    await waitForConnection(broker, 'live');
    await waitForText(broker, 'Acme funds the pumps.');
  });

  it('explains a missing or invalid link instead of showing an empty editor', async () => {
    const page = await newPage();
    await page.goto(`${stage.server.http}/a/doesnotexist#token=not-a-token`);
    await page.getByRole('heading', { name: /No access|Agreement not found/ }).waitFor({ timeout: 15_000 });
    expect(await page.locator('.ProseMirror').count()).toBe(0);
  });

  it('draws the header’s mark in the page: the agreement and the start page load no image for it', async () => {
    // As a CSS background the mark was an image: a download on a first visit, and an SVG document
    // the browser built on the main thread each time a header showed it (issue 17, the load).
    const imagesFromStyles = (page: Page) =>
      page.evaluate(() =>
        (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
          .filter((e) => e.initiatorType === 'css' && new URL(e.name).pathname.endsWith('.svg'))
          .map((e) => new URL(e.name).pathname),
      );
    const c = await newCast();
    const ngo = await join(c.url(c.ngo));
    expect(await ngo.page.locator('.topbar--agreement .brand__mark > svg').count()).toBe(1);
    expect(await imagesFromStyles(ngo.page)).toEqual([]);
    await ngo.page.goto(stage.server.http);
    await ngo.page.locator('.home .brand__mark > svg').waitFor();
    expect(await imagesFromStyles(ngo.page)).toEqual([]);
    expect(ngo.errors).toEqual([]);
  });
});
