import { describe, expect, it } from 'vitest';
import type { CDPSession, Page } from 'playwright-core';
import { waitFor } from '../support/poll';
import { selectText, useStage } from './browser';
import { objectivesAndParagraph, othersSee, OWN_TEXT, pastePlain, SHARED_TEXT, shown } from './objectiveEdges';
import { blockTexts, selectAcross } from './selectAcross';

// Edits over an objective's edge made the other ways a person makes them: an input method, suggesting mode, a drag and drop.
const stage = useStage();

const FROM_FIELD: [string, string, string] = ['10 to 20', 'of the agreement', 'when staff leave'];

/** Composes `preedits` with an input method (as a Japanese keyboard does) and commits `committed`. */
async function compose(page: Page, preedits: string[], committed: string): Promise<void> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  try {
    for (const preedit of preedits) await cdp.send('Input.imeSetComposition', { text: preedit, selectionStart: preedit.length, selectionEnd: preedit.length });
    await cdp.send('Input.insertText', { text: committed });
  } finally {
    await cdp.detach();
  }
}

/** Where the middle of `text` is drawn on the page (the first place it is drawn); `centred`: scrolled to the middle of the window first. */
async function middleOf(page: Page, text: string, centred = false): Promise<{ x: number; y: number }> {
  return page.locator('.ProseMirror').evaluate(
    (root, { wanted, centred }) => {
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent?.indexOf(wanted) ?? -1;
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + wanted.length);
        if (centred) node.parentElement!.scrollIntoView({ block: 'center' });
        const { x, y, width, height } = range.getBoundingClientRect();
        return { x: x + width / 2, y: y + height / 2 };
      }
      throw new Error(`"${wanted}" is not in the text`);
    },
    { wanted: text, centred },
  );
}

/** Drags the selection, held at `grab`, with the mouse and drops it on the middle of `target`, in steps as a hand moves. */
async function dragSelection(page: Page, grab: string, target: string): Promise<void> {
  await middleOf(page, grab, true);
  const [from, drop] = [await middleOf(page, grab), await middleOf(page, target)];
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(from.x + ((drop.x - from.x) * i) / 10, from.y + ((drop.y - from.y) * i) / 10);
  await page.mouse.up();
}

const noticeCount = (page: Page, id: string) => page.getByTestId(id).count();

describe('an input method’s word over a selection from an objective’s field into the next paragraph', () => {
  it('goes in once where the selection began, every field kept, the paragraph’s rest kept, both pages the same', async () => {
    const { c, w, page, ben } = await objectivesAndParagraph(stage);
    const ngo = await stage.join(c.url(c.ngo));
    await selectAcross(page, ...FROM_FIELD);
    await compose(page, ['に', 'にほ', 'にほん'], '日本');

    await othersSee(w, ['Shared objectives', SHARED_TEXT, 'Train kiosk staffSkilled staff日本Ben', 'of the agreement.'], 'the composed word');
    const wanted = ['Shared objectives', 'Fund the water kiosks', 'Safe water', '40 to 60 kiosks', 'when prices rise'];
    wanted.push('Train kiosk staff', 'Skilled staff', '日本', '', 'of the agreement.');
    await waitFor(async () => JSON.stringify((await shown(ngo.page)).drawn) === JSON.stringify(wanted), {
      what: `the other party's page; draws ${JSON.stringify((await shown(ngo.page)).drawn)}`,
    });
    const [mine, theirs] = [await shown(page), await shown(ngo.page)];
    expect(mine.drawn).toEqual(wanted);
    expect(mine.held).toEqual(theirs.held);
    expect(
      await page
        .getByLabel(/^Owners of /)
        .nth(1)
        .inputValue(),
    ).toBe('Ben');
    for (const id of ['notice-write-refused', 'objective-shape-refused', 'foreign-objective-refused']) expect(await noticeCount(page, id)).toBe(0);
    expect([...ben.errors, ...ngo.errors]).toEqual([]);
  });
});

describe('suggesting over a selection from an objective’s field into the next paragraph', () => {
  it.each([
    { how: 'Delete', edit: (page: Page) => page.keyboard.press('Delete') },
    { how: 'typing a letter', edit: (page: Page) => page.keyboard.type('x') },
    { how: 'a paste', edit: (page: Page) => pastePlain(page, 'Five') },
  ])('$how is suggested with the objective’s shape kept, or changes nothing and says why', async ({ edit }) => {
    const { c, w, page, ben, before } = await objectivesAndParagraph(stage);
    const ngo = await stage.join(c.url(c.ngo));
    await page.bringToFront();
    await page.getByTestId('mode-suggesting').click();
    await selectAcross(page, ...FROM_FIELD);
    await edit(page);
    // Either a suggestion arrives at the other party, or the suggesting bar says why none was made.
    const cards = ngo.page.getByTestId('suggestion-card');
    const notice = page.getByTestId('suggest-bar').getByRole('alert');
    await page.locator('.ProseMirror').blur();
    await waitFor(async () => (await cards.count()) > 0 || (await notice.count()) > 0, { what: 'a suggestion, or a notice saying why none was made' });
    // Suggesting never changes the text, and never cuts the objective; no half-made draft is left drawn.
    expect(blockTexts(w)).toEqual(before);
    expect(await page.locator('.ProseMirror .suggestion--draft').count()).toBe(0);
    if ((await cards.count()) > 0) {
      const changes = await ngo.page.getByTestId('suggestion-change').allTextContents();
      expect(changes.join(' | ')).not.toMatch(/Ben|Train kiosk/);
    } else expect(await notice.textContent()).toMatch(/^Nothing was suggested: the selection runs out of an objective’s field/);
    expect([...ben.errors, ...ngo.errors]).toEqual([]);
  });
});

describe('a drag and drop, or a copy and paste, over an objective’s edge', () => {
  it('words dragged from the paragraph into a field move there, and words dragged out of a field move out; every field kept', async () => {
    const { w, page, before } = await objectivesAndParagraph(stage);
    await selectAcross(page, 'words', ' of the', 'words');
    await dragSelection(page, 'words', 'Skilled');
    await waitFor(() => blockTexts(w)[3] === 'Closing  of the agreement.', {
      what: `the words moved at the other party; has ${JSON.stringify(blockTexts(w))}`,
    });
    // Dropped into the intent field, wherever in its word the mouse let go.
    expect(blockTexts(w)[2]).toMatch(/^Train kiosk staff.*words.*10 to 20 trainedwhen staff leaveBen$/);
    expect(await page.getByTestId('objective').nth(1).locator('[data-objective-field]').count()).toBe(4);
    await page.keyboard.press('Control+z');
    await othersSee(w, before, 'the move undone');

    await selectText(page, '20 trained');
    await dragSelection(page, '20', 'agreement');
    await waitFor(() => !blockTexts(w)[2].includes('20 trained'), { what: `the field's words moved; has ${JSON.stringify(blockTexts(w))}` });
    expect(blockTexts(w).slice(0, 3)).toEqual(['Shared objectives', SHARED_TEXT, 'Train kiosk staffSkilled staff10 to when staff leaveBen']);
    expect(blockTexts(w)[3]).toContain('20 trained');
    expect(await noticeCount(page, 'objective-shape-refused')).toBe(0);
  });

  it('words copied from a field and pasted into the paragraph come in as words; the objective is not copied with them', async () => {
    const { w, page } = await objectivesAndParagraph(stage);
    await selectText(page, '20 trained');
    await page.keyboard.press('Control+c');
    await selectText(page, 'agreement', { caretAfter: true });
    await page.keyboard.press('Control+v');
    await waitFor(() => blockTexts(w)[3]?.includes('20 trained'), { what: `the pasted words at the other party; has ${JSON.stringify(blockTexts(w))}` });
    expect(blockTexts(w)).toEqual(['Shared objectives', SHARED_TEXT, OWN_TEXT, 'Closing words of the agreement20 trained.']);
    expect(await page.getByTestId('objective').count()).toBe(2);
  });

  it('a selection from a field into the next paragraph dropped elsewhere keeps the objective and says why nothing moved', async () => {
    const { w, page, before } = await objectivesAndParagraph(stage);
    await selectAcross(page, ...FROM_FIELD);
    await dragSelection(page, '20 trained', 'Skilled');
    await page.getByTestId('objective-shape-refused').waitFor({ timeout: 5_000 });
    expect(blockTexts(w)).toEqual(before);
    expect(blockTexts(w)[2]).toBe(OWN_TEXT);
  });
});
