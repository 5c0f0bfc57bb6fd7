import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { cast, editorText, selectText, useStage, waitForText, writeAtEnd, type Person } from './browser';

const stage = useStage();

const newCast = () => cast(stage.server);

const join = (url: string): Promise<Person> => stage.join(url);

/** Starts a thread on the selected passage through the button beside it, and sends `body`. */
async function commentOnSelection(page: Page, body: string): Promise<void> {
  await page.getByTestId('comment-selection').click();
  const draft = page.getByTestId('thread-draft');
  await draft.getByRole('textbox').fill(body);
  await draft.getByRole('button', { name: 'Comment', exact: true }).click();
  await draft.waitFor({ state: 'detached' });
}

function thread(page: Page, hasText: string) {
  return page.getByTestId('thread').filter({ hasText });
}

function highlight(page: Page, text: string) {
  return page.locator('.ProseMirror .comment-highlight', { hasText: text });
}

/** ARIA 1.3's `mark` role: Chromium and Playwright know it; playwright-core's types do not list it yet. */
const MARK = 'mark' as Parameters<Page['getByRole']>[0];

const SENTENCE = 'The parties agree to restore the Nzoia river.';

// Three or four browser contexts per test on a two-core machine: allow more than the usual 30 s.
const SLOW = { timeout: 60_000 };

/** The NGO comments on the sentence; the business, in front, starts a reply to it with `words`. */
async function businessAnswering(words: string) {
  const { ngo, business } = await bothPartiesOnTwoClauses();
  await selectText(ngo.page, SENTENCE);
  await commentOnSelection(ngo.page, 'Which section of the river?');
  await business.page.bringToFront();
  const theirs = thread(business.page, 'Which section of the river?');
  await theirs.getByRole('textbox', { name: 'Reply' }).click();
  const reply = theirs.getByRole('textbox', { name: 'Reply' });
  await reply.fill(words);
  return { ngo, business, theirs, reply };
}

/** Nia (NGO) and Ben (business) on one agreement whose text Nia wrote: two clauses, the first being SENTENCE. */
async function bothPartiesOnTwoClauses(): Promise<{ ngo: Person; business: Person }> {
  const c = await newCast();
  const ngo = await join(c.url(c.ngo));
  const business = await join(c.url(c.business));
  await writeAtEnd(ngo.page, `Clause 1. ${SENTENCE} Clause 2. Funding comes from both sides.`);
  await waitForText(business.page, 'Funding comes from both sides.');
  return { ngo, business };
}

describe('comment threads in the browser', () => {
  // A highlight was a bare span: a screen reader reading the text said nothing of a comment on it.
  it('a commented passage is a marked passage to a screen reader, described by who commented and how many comments it holds', SLOW, async () => {
    const { ngo, business } = await bothPartiesOnTwoClauses();
    await selectText(ngo.page, SENTENCE);
    await commentOnSelection(ngo.page, 'Which section of the river?');
    const marked = business.page.getByRole(MARK).filter({ hasText: SENTENCE });
    await marked.waitFor({ timeout: 10_000 });
    expect(await marked.getAttribute('aria-description')).toBe('Comment by Nia Otieno, 1 comment');
    // The text reads the same: the marking adds no words to it.
    expect(await editorText(business.page)).toContain(`Clause 1. ${SENTENCE} Clause 2.`);
    const seen = thread(business.page, 'Which section of the river');
    const reply = seen.getByRole('textbox', { name: 'Reply' });
    await reply.click();
    await reply.fill('The lower reach.');
    await seen.getByRole('button', { name: 'Reply', exact: true }).click();
    await expect
      .poll(() => ngo.page.getByRole(MARK).filter({ hasText: SENTENCE }).getAttribute('aria-description'), { timeout: 10_000 })
      .toBe('Comment by Nia Otieno, 2 comments');
  });

  it('one party starts a thread on a sentence; the other sees the highlight and the thread, and replies', SLOW, async () => {
    const { ngo, business } = await bothPartiesOnTwoClauses();

    await selectText(ngo.page, SENTENCE);
    await ngo.page.getByTestId('comment-selection').click();
    const draft = ngo.page.getByTestId('thread-draft');
    // Only the draft highlight shows while the thread is written.
    await ngo.page.locator('.ProseMirror .comment-highlight--draft', { hasText: SENTENCE }).waitFor();
    const field = draft.getByRole('textbox');
    await field.fill('Which section of the river, ');
    await field.press('End');
    await field.pressSequentially('@Acm');
    await draft.getByRole('option', { name: /Acme Beverages/ }).waitFor();
    await field.press('Enter');
    await field.pressSequentially('?');
    expect(await field.inputValue()).toBe('Which section of the river, @Acme Beverages ?');
    await draft.getByRole('button', { name: 'Comment', exact: true }).click();
    await draft.waitFor({ state: 'detached' });

    // The other party: the passage is highlighted and the thread is beside it.
    await highlight(business.page, SENTENCE).waitFor({ timeout: 10_000 });
    const seen = thread(business.page, 'Which section of the river');
    await seen.waitFor();
    expect(await seen.getByTestId('thread-quote').textContent()).toBe(SENTENCE);
    expect(await seen.getByTestId('comment').first().textContent()).toContain('Nia Otieno');
    expect(await seen.getByTestId('comment').first().textContent()).toContain('WaterAid Kenya');
    expect(await highlight(business.page, SENTENCE).textContent()).toBe(SENTENCE);
    // The business party was mentioned: its people see the mention marked for them.
    expect(await seen.locator('.mention.mention--me').textContent()).toBe('@Acme Beverages');

    // Clicking the highlight focuses its thread; the quote leads back to the passage.
    await highlight(business.page, SENTENCE).click();
    await business.page.locator('.thread--active', { hasText: 'Which section of the river' }).waitFor();
    await business.page.locator('.ProseMirror').evaluate(() => window.getSelection()?.removeAllRanges());
    await seen.getByTestId('thread-quote').click();
    await business.page.waitForFunction((s) => window.getSelection()?.toString() === s, SENTENCE, { polling: 50 });

    // The reply, with markup that must stay text.
    const reply = seen.getByRole('textbox', { name: 'Reply' });
    await reply.click();
    await reply.fill('The lower basin. <img src=x onerror="window.__pwned = 1"> <b>bold?</b>');
    await seen.getByRole('button', { name: 'Reply', exact: true }).click();

    const mine = thread(ngo.page, 'Which section of the river');
    await mine.getByTestId('comment').filter({ hasText: 'The lower basin.' }).waitFor({ timeout: 10_000 });
    const body = mine.getByTestId('comment-body').nth(1);
    expect(await body.textContent()).toBe('The lower basin. <img src=x onerror="window.__pwned = 1"> <b>bold?</b>');
    expect(await body.locator('img, b').count()).toBe(0);
    expect(await ngo.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await mine.getByTestId('comment').nth(1).textContent()).toContain('Ben Kamau');

    // Tabbing through a thread opens its reply box; left empty, it closes again once the focus moves on.
    await ngo.page.bringToFront();
    const standIn = mine.locator('textarea[readonly][aria-label="Reply"]');
    await standIn.focus();
    await mine.locator('textarea.composer__field:not([readonly])').waitFor();
    await ngo.page.keyboard.press('Shift+Tab');
    await standIn.waitFor({ timeout: 5_000 });

    // The highlight follows the passage when the text before it changes.
    await ngo.page.bringToFront();
    await ngo.page.locator('.ProseMirror').click();
    await ngo.page.keyboard.press('Control+Home');
    await ngo.page.keyboard.type('Preamble. ');
    await waitForText(business.page, 'Preamble. Clause 1.');
    await business.page.waitForFunction((s) => document.querySelector('.ProseMirror .comment-highlight')?.textContent === s, SENTENCE, {
      polling: 50,
      timeout: 10_000,
    });
    // A new paragraph before it: the editor rewrites the paragraph, the thread stays on its passage.
    await ngo.page.keyboard.press('Enter');
    await business.page.waitForFunction(() => document.querySelectorAll('.ProseMirror p').length === 2, undefined, { polling: 50, timeout: 10_000 });
    for (const page of [ngo.page, business.page]) {
      await page.waitForFunction((s) => document.querySelector('.ProseMirror .comment-highlight')?.textContent === s, SENTENCE, {
        polling: 50,
        timeout: 10_000,
      });
      expect(await page.getByTestId('thread').first().getAttribute('data-detached')).toBe('false');
    }
    expect(ngo.errors).toEqual([]);
    expect(business.errors).toEqual([]);
  });

  it(
    'a keyboard-only legal reviewer tabs into the text, selects a passage with Shift and the arrows, and comments on it; keys write nothing',
    SLOW,
    async () => {
      const c = await newCast();
      const ngo = await join(c.url(c.ngo));
      const legal = await join(c.url(c.legal));
      const written = `Clause 1. ${SENTENCE} Clause 2. Liability is shared.`;
      await writeAtEnd(ngo.page, written);
      await waitForText(legal.page, 'Liability is shared.');
      const page = legal.page;
      await page.bringToFront();
      const editor = page.locator('.ProseMirror');
      expect(await editor.getAttribute('aria-readonly')).toBe('true');
      expect(await editor.getAttribute('inputmode')).toBe('none');

      // The text is in the tab order.
      await page.locator('body').focus();
      let reached = false;
      for (let tab = 0; tab < 80 && !reached; tab++) {
        await page.keyboard.press('Tab');
        reached = await editor.evaluate((el) => el === document.activeElement);
      }
      expect(reached).toBe(true);

      await page.keyboard.press('Control+End');
      for (let i = 0; i < 'Liability is shared.'.length; i++) await page.keyboard.press('Shift+ArrowLeft');
      await page.waitForFunction(() => window.getSelection()?.toString() === 'Liability is shared.', undefined, { polling: 50 });
      await page.keyboard.press('Control+Alt+m');
      const draft = page.getByTestId('thread-draft');
      await draft.getByRole('textbox').waitFor();
      await page.keyboard.type('Shared in what proportion?');
      await draft.getByRole('button', { name: 'Comment', exact: true }).focus();
      await page.keyboard.press('Enter');
      await draft.waitFor({ state: 'detached' });
      // The thread holds the passage selected (not one character short), and the text shows it highlighted.
      const posted = thread(ngo.page, 'Shared in what proportion?');
      await posted.waitFor({ timeout: 20_000 });
      expect((await posted.getByTestId('thread-quote').textContent())?.trim()).toContain('Liability is shared.');
      await highlight(ngo.page, 'Liability is shared.').waitFor({ timeout: 20_000 });

      // Keys that would edit do nothing: typing, deleting, a new line, a paste, a composition, a cut.
      await editor.focus();
      await page.keyboard.press('Control+End');
      await page.keyboard.type('LEGAL EDIT');
      for (const key of ['Backspace', 'Delete', 'Enter', 'Control+b', 'Tab']) {
        await editor.focus();
        await page.keyboard.press(key);
      }
      await editor.focus();
      await page.keyboard.insertText('PASTED BY LEGAL');
      // An input method's composition (Japanese here), which the page cannot cancel before it shows.
      await editor.focus();
      await page.keyboard.press('Control+End');
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Input.imeSetComposition', { text: 'にほん', selectionStart: 3, selectionEnd: 3 });
      await cdp.send('Input.insertText', { text: '日本' });
      await page.waitForFunction(() => !document.querySelector('.ProseMirror')?.textContent?.includes('日本'), undefined, { polling: 50, timeout: 10_000 });
      await page.keyboard.press('Control+a');
      await page.keyboard.press('Control+x');
      await writeAtEnd(ngo.page, ' Clause 3. Duration.');
      await waitForText(page, 'Clause 3. Duration.');
      expect(await editorText(page)).toBe(`${written} Clause 3. Duration.`);
      expect(await editorText(ngo.page)).toBe(`${written} Clause 3. Duration.`);
      expect(legal.errors).toEqual([]);
    },
  );

  it('lets a legal reviewer start a thread on text they cannot edit', SLOW, async () => {
    const c = await newCast();
    const ngo = await join(c.url(c.ngo));
    const legal = await join(c.url(c.legal));
    await writeAtEnd(ngo.page, `Clause 1. ${SENTENCE} Clause 2. Liability is shared.`);
    await waitForText(legal.page, 'Liability is shared.');
    expect(await legal.page.locator('.ProseMirror').getAttribute('aria-readonly')).toBe('true');

    await selectText(legal.page, 'Liability is shared.');
    await commentOnSelection(legal.page, 'Shared in what proportion?');

    await highlight(ngo.page, 'Liability is shared.').waitFor({ timeout: 10_000 });
    const seen = thread(ngo.page, 'Shared in what proportion?');
    await seen.waitFor();
    expect(await seen.getByTestId('comment').first().textContent()).toContain('Lena Vogt');
    expect(await seen.getByTestId('comment').first().textContent()).toContain('Legal reviewer');
    // The reviewer's own thread leads back to the passage in their read-only text.
    await legal.page.locator('.ProseMirror').evaluate(() => window.getSelection()?.removeAllRanges());
    await thread(legal.page, 'Shared in what proportion?').getByTestId('thread-quote').click();
    await legal.page.waitForFunction(() => window.getSelection()?.toString() === 'Liability is shared.', undefined, { polling: 50 });
    // Nothing was written into the text by the reviewer (whose caret others now see there: the text has their focus).
    expect(await editorText(ngo.page)).toBe(`Clause 1. ${SENTENCE} Clause 2. Liability is shared.`);

    // Only the author may edit or delete a comment: the negotiator gets no such buttons on it.
    const onLiability = (page: Page) => thread(page, 'Liability is shared.');
    expect(await onLiability(ngo.page).getByRole('button', { name: 'Edit' }).count()).toBe(0);
    const own = onLiability(legal.page);
    await own.getByRole('button', { name: 'Edit' }).click();
    await own.getByRole('textbox', { name: 'Edit your comment' }).fill('Shared in what proportion, and capped?');
    await own.getByRole('button', { name: 'Save' }).click();
    await onLiability(ngo.page).getByTestId('comment-body').filter({ hasText: 'and capped?' }).waitFor({ timeout: 10_000 });
    expect(await onLiability(ngo.page).getByTestId('comment').first().textContent()).toContain('edited');

    // Only its author (or their party, or the broker) resolves a thread: the NGO replies instead.
    expect(await onLiability(ngo.page).getByRole('button', { name: 'Resolve' }).count()).toBe(0);
    // Resolving takes it out of the open threads for everyone; the Resolved filter shows it.
    await onLiability(legal.page).getByRole('button', { name: 'Resolve' }).click();
    await onLiability(ngo.page).waitFor({ state: 'detached', timeout: 10_000 });
    await legal.page.getByLabel('Show').selectOption('resolved');
    await onLiability(legal.page).getByText('Resolved by Lena Vogt').waitFor();
    await onLiability(legal.page).getByRole('button', { name: 'Reopen' }).click();
    await onLiability(ngo.page).waitFor({ timeout: 10_000 });

    // An observer reads the thread but has nothing to write with.
    const observer = await join(c.url(await c.fx.invite({ role: 'observer', name: 'Olu Observer' })));
    await thread(observer.page, 'and capped?').waitFor({ timeout: 10_000 });
    expect(await observer.page.getByText('as an observer you cannot write').count()).toBe(1);
    expect(await observer.page.getByTestId('threads-panel').getByRole('textbox').count()).toBe(0);
    expect(
      await observer.page
        .getByTestId('threads-panel')
        .getByRole('button', { name: /Resolve|Reply|Comment/ })
        .count(),
    ).toBe(0);
    // The same selection shows a writer the Comment button (so the check below can fail); the observer gets none.
    await selectText(legal.page, 'Clause 1.');
    await legal.page.getByTestId('comment-selection').waitFor({ timeout: 5_000 });
    await selectText(observer.page, 'Clause 1.');
    await observer.page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    expect(await observer.page.getByTestId('comment-selection').count()).toBe(0);
  });

  it('a keyboard comment started on the private tab stays private', SLOW, async () => {
    const c = await newCast();
    const ngo = await join(c.url(c.ngo));
    const business = await join(c.url(c.business));
    await writeAtEnd(ngo.page, `Clause 1. ${SENTENCE}`);
    await waitForText(business.page, SENTENCE);

    // On the tab that says "Private to WaterAid Kenya", the shortcut starts a private thread, as the button does.
    await ngo.page.bringToFront();
    await ngo.page.getByTestId('caucus-tab').click();
    await selectText(ngo.page, SENTENCE);
    await ngo.page.keyboard.press('Control+Alt+m');
    const draft = ngo.page.getByTestId('thread-draft');
    const field = draft.getByRole('textbox', { name: 'Comment on the selected passage' });
    await field.waitFor();
    expect(await draft.getByLabel('Visible to').inputValue()).toBe('caucus');
    // The field has the focus: the person types straight away, and sends with Ctrl+Enter.
    await ngo.page.keyboard.type('We could give up the upper river.');
    await ngo.page.keyboard.press('Control+Enter');
    await draft.waitFor({ state: 'detached' });
    await ngo.page.getByTestId('caucus-threads').getByTestId('thread').filter({ hasText: 'We could give up' }).waitFor();

    // The other party never sees it: not in its panel, not as a highlight.
    await business.page.bringToFront();
    await business.page.getByText('No comments yet.').waitFor();
    expect(await business.page.locator('body').textContent()).not.toContain('give up');
    expect(await business.page.locator('.ProseMirror .comment-highlight').count()).toBe(0);
    expect(ngo.errors).toEqual([]);
  });

  // A flaky network: the comment reached the server, its answer did not. Sending it again made a second thread.
  it('a comment sent again after its answer was lost makes one thread, not two', SLOW, async () => {
    const { ngo, business } = await bothPartiesOnTwoClauses();
    let lost = 0;
    await ngo.page.route('**/threads', async (route) => {
      if (route.request().method() !== 'POST' || lost > 0) return route.fallback();
      lost++;
      await route.fetch(); // the server makes the thread…
      await route.abort('failed'); // …and the page never hears of it
    });
    await selectText(ngo.page, SENTENCE);
    await ngo.page.getByTestId('comment-selection').click();
    const draft = ngo.page.getByTestId('thread-draft');
    await draft.getByRole('textbox').fill('Which section of the river?');
    await draft.getByRole('button', { name: 'Comment', exact: true }).click();
    await draft.getByText(/Cannot reach the server/).waitFor();
    await draft.getByRole('button', { name: 'Comment', exact: true }).click();
    await draft.waitFor({ state: 'detached' });

    await business.page.bringToFront();
    await thread(business.page, 'Which section of the river?').waitFor();
    expect(await thread(business.page, 'Which section of the river?').count()).toBe(1);
    expect(await thread(ngo.page, 'Which section of the river?').count()).toBe(1);
  });

  // Found by CI: the test below typed its next reply while the one before was still being sent, and the send's end
  // cleared the field. A person who goes on writing while "Sending…" shows loses nothing.
  it('keeps what is written while the reply before it is still being sent', SLOW, async () => {
    const { ngo, business, theirs, reply } = await businessAnswering('Only the lower basin.');
    // The reply's request is held until the next words are written.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await business.page.route('**/threads/*/comments', async (route) => {
      await held;
      await route.continue();
    });
    await theirs.getByRole('button', { name: 'Reply', exact: true }).click();
    await theirs.getByRole('button', { name: 'Sending…' }).waitFor();
    await reply.press('End');
    await reply.pressSequentially(' And the wetlands');
    release();
    await thread(ngo.page, 'Which section of the river?').getByTestId('comment').filter({ hasText: 'Only the lower basin.' }).waitFor();
    await theirs.getByRole('button', { name: 'Sending…' }).waitFor({ state: 'detached' });
    expect(await reply.inputValue()).toBe('And the wetlands');
  });

  it('keeps a reply being written when someone resolves the thread or deletes it meanwhile', SLOW, async () => {
    // The business starts answering; the NGO, thinking it settled, resolves the thread.
    const { ngo, business, theirs, reply } = await businessAnswering('Only the lower basin, and');
    await ngo.page.bringToFront();
    await thread(ngo.page, 'Which section of the river?').getByRole('button', { name: 'Resolve' }).click();
    await thread(ngo.page, 'Which section of the river?').waitFor({ state: 'detached' });

    // The reply stays where it was written, and sending it brings the thread back into discussion.
    await business.page.bringToFront();
    await theirs.getByText('Resolved by Nia Otieno').waitFor({ timeout: 10_000 });
    expect(await reply.inputValue()).toBe('Only the lower basin, and');
    await reply.pressSequentially(' only from 2027.');
    await theirs.getByRole('button', { name: 'Reply', exact: true }).click();
    await thread(ngo.page, 'Which section of the river?').getByTestId('comment').filter({ hasText: 'only from 2027.' }).waitFor({ timeout: 10_000 });
    expect(await thread(ngo.page, 'Which section of the river?').getAttribute('data-state')).toBe('open');

    // A reply half written stays through a look at the private tab and back.
    await reply.fill('And the wetlands');
    await business.page.getByTestId('caucus-tab').click();
    await theirs.waitFor({ state: 'detached' });
    await business.page.getByRole('tab', { name: /Shared/ }).click();
    expect(await reply.inputValue()).toBe('And the wetlands');
    // Brought back, the field does not take the focus from the tab the person chose.
    expect(await business.page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('tab');

    // A thread the author deletes whole while someone answers: what they wrote is kept for them to copy.
    await selectText(ngo.page, 'Funding comes from both sides.');
    await commentOnSelection(ngo.page, 'Whose funding?');
    const funding = thread(business.page, 'Whose funding?');
    await funding.getByRole('textbox', { name: 'Reply' }).click();
    await funding.getByRole('textbox', { name: 'Reply' }).fill('Ours, mostly');
    await ngo.page.bringToFront();
    const own = thread(ngo.page, 'Whose funding?');
    await own.getByRole('button', { name: 'Delete' }).click();
    await own.getByRole('button', { name: 'Delete' }).click();
    await business.page.bringToFront();
    await funding.waitFor({ state: 'detached', timeout: 10_000 });
    const orphaned = business.page.getByTestId('orphaned-writing');
    expect(await orphaned.getByRole('textbox', { name: 'What you wrote' }).inputValue()).toBe('Ours, mostly');
    await orphaned.getByRole('button', { name: 'Dismiss' }).click();
    await orphaned.waitFor({ state: 'detached' });
    expect(business.errors).toEqual([]);
  });

  it('keeps the keyboard focus in the thread after editing, cancelling or deleting a comment', SLOW, async () => {
    const c = await newCast();
    const ngo = await join(c.url(c.ngo));
    await writeAtEnd(ngo.page, `Clause 1. ${SENTENCE}`);
    await selectText(ngo.page, SENTENCE);
    await commentOnSelection(ngo.page, 'Which section of the river?');
    const mine = thread(ngo.page, 'Which section of the river?');
    await mine.getByRole('textbox', { name: 'Reply' }).focus();
    await ngo.page.keyboard.type('And by when?');
    await ngo.page.keyboard.press('Control+Enter');
    const second = mine.getByTestId('comment').filter({ hasText: 'And by when?' });
    await second.waitFor();
    const focused = () => ngo.page.evaluate(() => `${document.activeElement?.tagName}:${document.activeElement?.textContent?.trim().slice(0, 30)}`);

    // Saved with Ctrl+Enter: the focus is on the comment's Edit button again, not lost to the page.
    await second.getByRole('button', { name: 'Edit' }).focus();
    await ngo.page.keyboard.press('Enter');
    await second.getByRole('textbox', { name: 'Edit your comment' }).waitFor();
    await ngo.page.keyboard.press('End');
    await ngo.page.keyboard.type(' 2027?');
    await ngo.page.keyboard.press('Control+Enter');
    await second.getByTestId('comment-body').filter({ hasText: '2027?' }).waitFor();
    expect(await focused()).toBe('BUTTON:Edit');
    // Cancelled with Escape: the same.
    await ngo.page.keyboard.press('Enter');
    await second.getByRole('textbox', { name: 'Edit your comment' }).waitFor();
    await ngo.page.keyboard.press('Escape');
    await second.getByRole('textbox', { name: 'Edit your comment' }).waitFor({ state: 'detached' });
    expect(await focused()).toBe('BUTTON:Edit');
    // Delete asks first, the focus on the way out (Keep); confirmed, the focus goes to the thread.
    await ngo.page.keyboard.press('Tab');
    expect(await focused()).toBe('BUTTON:Delete');
    await ngo.page.keyboard.press('Enter');
    await second.getByText('Delete this comment?').waitFor();
    expect(await focused()).toBe('BUTTON:Keep');
    await ngo.page.keyboard.press('Enter');
    await second.getByText('Delete this comment?').waitFor({ state: 'detached' });
    expect(await focused()).toBe('BUTTON:Delete');
    await ngo.page.keyboard.press('Enter');
    await second.getByText('Delete this comment?').waitFor();
    await ngo.page.keyboard.press('Shift+Tab');
    await ngo.page.keyboard.press('Enter');
    await mine.getByText('Comment deleted').waitFor();
    expect(await ngo.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('thread');

    // Resolved by keyboard, the thread leaves the open ones: the focus goes to the thread that takes its place.
    await selectText(ngo.page, 'Clause 1.');
    await commentOnSelection(ngo.page, 'Why number clauses?');
    await mine.getByRole('button', { name: 'Resolve' }).focus();
    await ngo.page.keyboard.press('Enter');
    await mine.waitFor({ state: 'detached' });
    await ngo.page.waitForFunction(() => document.activeElement?.closest('[data-testid="thread"]'), undefined, { polling: 50, timeout: 5_000 });
    expect(await ngo.page.evaluate(() => document.activeElement?.closest('[data-testid="thread"]')?.textContent ?? document.activeElement?.tagName)).toContain(
      'Why number clauses?',
    );
    expect(ngo.errors).toEqual([]);
  });

  it('keeps a party’s caucus note off the other party’s screen', SLOW, async () => {
    const c = await newCast();
    const ngo = await join(c.url(c.ngo));
    const colleague = await join(c.url(c.ngo2));
    const business = await join(c.url(c.business));
    await writeAtEnd(ngo.page, `Clause 1. ${SENTENCE}`);
    await waitForText(business.page, SENTENCE);

    await ngo.page.getByTestId('caucus-tab').click();
    expect(await ngo.page.getByTestId('caucus-tab').textContent()).toContain('Private to WaterAid Kenya');
    await ngo.page.getByRole('button', { name: 'New private note' }).click();
    const draft = ngo.page.getByTestId('thread-draft');
    await draft.getByRole('textbox').fill('Our floor is 40% of the pumps.');
    await draft.getByRole('button', { name: 'Comment', exact: true }).click();
    await ngo.page.getByTestId('caucus-threads').getByTestId('thread').filter({ hasText: 'Our floor is 40%' }).waitFor();

    // And a private thread on the sentence, highlighted only for the party.
    await selectText(ngo.page, SENTENCE);
    await ngo.page.getByTestId('comment-selection').click();
    await ngo.page.getByTestId('thread-draft').getByLabel('Visible to').selectOption('caucus');
    await ngo.page.getByTestId('thread-draft').getByRole('textbox', { name: 'Comment on the selected passage' }).fill('Do not concede the river section.');
    await ngo.page.getByTestId('thread-draft').getByRole('button', { name: 'Comment', exact: true }).click();
    await ngo.page.locator('.ProseMirror .comment-highlight--private').waitFor();

    // Made private from the shared tab, the draft offers only the party's own people to mention, as the private tab does.
    await ngo.page.getByRole('tab', { name: /Shared/ }).click();
    await selectText(ngo.page, 'Clause 1.');
    await ngo.page.getByTestId('comment-selection').click();
    const second = ngo.page.getByTestId('thread-draft');
    const field = second.getByRole('textbox', { name: 'Comment on the selected passage' });
    await field.pressSequentially('@');
    await second
      .getByRole('option', { name: /Acme Beverages/ })
      .first()
      .waitFor();
    await field.fill('');
    await second.getByLabel('Visible to').selectOption('caucus');
    await field.pressSequentially('@');
    await second.getByRole('option', { name: /Noor Achieng/ }).waitFor();
    expect(await second.getByRole('option', { name: /Acme Beverages|Ben Kamau/ }).count()).toBe(0);
    await field.press('Escape');
    await field.press('Escape');
    await second.waitFor({ state: 'detached' });
    await ngo.page.getByTestId('caucus-tab').click();

    // The colleague of the same party sees both, marked private.
    await colleague.page.getByTestId('caucus-tab').click();
    const theirs = colleague.page.getByTestId('caucus-threads');
    await theirs.getByTestId('thread').filter({ hasText: 'Our floor is 40%' }).waitFor({ timeout: 10_000 });
    await theirs.getByTestId('thread').filter({ hasText: 'Do not concede' }).waitFor();
    expect(await theirs.locator('.badge--private').count()).toBe(2);
    await colleague.page.locator('.ProseMirror .comment-highlight--private').waitFor();

    // The other party: a caucus of its own, nothing of the NGO's anywhere on screen.
    await business.page.getByTestId('caucus-tab').click();
    expect(await business.page.getByTestId('caucus-tab').textContent()).toContain('Private to Acme Beverages');
    await business.page.getByText('No private threads or notes yet.').waitFor();
    const screen = await business.page.locator('body').textContent();
    expect(screen).not.toContain('Our floor');
    expect(screen).not.toContain('Do not concede');
    expect(await business.page.locator('.ProseMirror .comment-highlight').count()).toBe(0);

    // Its author deletes the note (after confirming); it goes from the colleague's screen too.
    const note = ngo.page.getByTestId('caucus-threads').getByTestId('thread').filter({ hasText: 'Our floor is 40%' });
    await note.getByRole('button', { name: 'Delete' }).click();
    await note.getByText('Delete this comment?').waitFor();
    await note.getByRole('button', { name: 'Delete' }).click();
    await theirs.getByTestId('thread').filter({ hasText: 'Our floor is 40%' }).waitFor({ state: 'detached', timeout: 10_000 });
    expect(await theirs.getByTestId('thread').count()).toBe(1);
  });
});
