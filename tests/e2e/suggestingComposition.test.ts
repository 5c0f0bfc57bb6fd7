import { describe, expect, it } from 'vitest';
import type { CDPSession, Page } from 'playwright-core';
import { contentRoom } from '#shared/rooms';
import type { SuggestionListing } from '#shared/suggestions';
import { waitFor } from '../support/poll';
import { api } from '../support/server';
import { cast, paragraphs, selectText, typeAtEnd, useStage, waitForText } from './browser';
import { objectivesAndParagraph, othersSee, shown } from './objectiveEdges';
import { blockTexts, selectAcross } from './selectAcross';

// A negotiator's input method (Japanese, Korean) in Suggesting mode: each step of a composition is a preedit the
// editor keeps out of the text; only the committed word may become a suggestion, once.
const stage = useStage();

const CLAUSE = 'Liability is shared between the parties.';

/**
 * Steps of an input method, as a Japanese or Korean keyboard sends them: each of `preedits` is the text being composed
 * (a shorter one is a Backspace inside the composition, an empty one cancels it); `committed`, when given, is the word
 * the input method commits last.
 */
async function compose(page: Page, preedits: string[], committed?: string): Promise<void> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  try {
    for (const text of preedits) await cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
    if (committed !== undefined) await cdp.send('Input.insertText', { text: committed });
  } finally {
    await cdp.detach();
  }
}

/**
 * Keys of an input method, as a desktop browser reports them: each key the input method takes is a keydown with
 * keyCode 229 and the key's physical `code` (KeyG, Backspace), then the preedit it makes (a shorter one for Backspace,
 * an empty one when Backspace took the last letter).
 */
async function composeKeys(page: Page, steps: [code: string, preedit: string][]): Promise<void> {
  const cdp: CDPSession = await page.context().newCDPSession(page);
  try {
    for (const [code, text] of steps) {
      await cdp.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', windowsVirtualKeyCode: 229, key: 'Process', code });
      await cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
      await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', windowsVirtualKeyCode: 229, key: 'Process', code });
    }
  } finally {
    await cdp.detach();
  }
}

/** 한 composed on a Korean keyboard (ㅎ → 하 → 한) and taken back with Backspace, one jamo at a time, down to `left`. */
function hanTakenBack(left: 'ㅎ' | ''): [string, string][] {
  const steps: [string, string][] = [
    ['KeyG', 'ㅎ'],
    ['KeyK', '하'],
    ['KeyS', '한'],
    ['Backspace', '하'],
    ['Backspace', 'ㅎ'],
  ];
  return left === '' ? [...steps, ['Backspace', '']] : steps;
}

/** Clicks in the middle of `word` in the text (a click that moves the caret, as a person does to go on elsewhere). */
async function clickOn(page: Page, word: string): Promise<void> {
  const { x, y } = await page.locator('.ProseMirror').evaluate((root, wanted) => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent?.indexOf(wanted) ?? -1;
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at + Math.floor(wanted.length / 2));
      const box = range.getBoundingClientRect();
      return { x: box.x, y: box.y + box.height / 2 };
    }
    throw new Error(`"${wanted}" is not in the text`);
  }, word);
  await page.mouse.click(x, y);
}

/** Ben (business) wrote the clause and switched to Suggesting; Nia (NGO) has it open. */
async function benSuggestingOnClause() {
  const c = await cast(stage.server);
  const ben = await stage.join(c.url(c.business));
  await typeAtEnd(ben.page, CLAUSE);
  const ngo = await stage.join(c.url(c.ngo));
  await waitForText(ngo.page, CLAUSE);
  await ben.page.bringToFront();
  await ben.page.getByTestId('mode-suggesting').click();
  await ben.page.locator('.ProseMirror[data-suggesting]').waitFor();
  const serverText = () => stage.server.app.ctx.rooms.with(contentRoom(c.fx.agreement.id), (room) => room.doc.getXmlFragment('content').toString());
  const listed = async () =>
    (await api<{ suggestions: SuggestionListing[] }>(stage.server, 'GET', `/api/agreements/${c.fx.agreement.id}/suggestions`, undefined, c.ngo)).body
      .suggestions;
  return { ben, ngo, serverText, listed };
}

/** Waits until the draft has been sent (none drawn) and the server holds a suggestion; answers what each stored one changes. */
async function sentSuggestions(page: Page, listed: () => Promise<SuggestionListing[]>): Promise<Pick<SuggestionListing, 'kind' | 'deleted' | 'text'>[]> {
  await page.locator('.ProseMirror').blur();
  await page.locator('.ProseMirror .suggestion--draft').waitFor({ state: 'detached', timeout: 15_000 });
  await waitFor(async () => (await listed()).length > 0, { what: 'the suggestion stored', timeoutMs: 15_000 });
  return (await listed()).map(({ kind, deleted, text }) => ({ kind, deleted, text }));
}

describe('an input method’s word in Suggesting mode', () => {
  it('typed at a caret is one suggested insertion of the committed word; no preedit in the text or in a suggestion', async () => {
    const { ben, ngo, serverText, listed } = await benSuggestingOnClause();
    await selectText(ben.page, 'shared', { caretAfter: true });

    await compose(ben.page, [' に', ' にほ', ' にほん'], ' 日本');

    expect(await sentSuggestions(ben.page, listed)).toEqual([{ kind: 'text', deleted: '', text: ' 日本' }]);
    expect(await serverText()).toBe(`<paragraph>${CLAUSE}</paragraph>`);
    const card = ngo.page.getByTestId('suggestion-card').filter({ hasText: 'Ben Kamau' });
    await card.waitFor({ timeout: 15_000 });
    expect(await ngo.page.getByTestId('suggestion-change').allTextContents()).toEqual([await ben.page.getByTestId('suggestion-change').textContent()]);
    // Both pages draw the suggestion over the unchanged clause, and nothing of the preedit.
    for (const page of [ben.page, ngo.page]) {
      await page.locator('.ProseMirror .suggestion-ins', { hasText: ' 日本' }).waitFor({ timeout: 10_000 });
      expect(await paragraphs(page)).toEqual(['Liability is shared 日本 between the parties.']);
      expect(await paragraphs(page, ['.suggestion-ins'])).toEqual([CLAUSE]);
    }
    expect([...ben.errors, ...ngo.errors]).toEqual([]);
  });

  it('typed over a selection in one paragraph is one suggested replacement of the selection by the committed word', async () => {
    const { ben, ngo, serverText, listed } = await benSuggestingOnClause();
    await selectText(ben.page, 'shared');

    await compose(ben.page, ['き', 'きょ', 'きょう', 'きょうゆう'], '共有');

    expect(await sentSuggestions(ben.page, listed)).toEqual([{ kind: 'text', deleted: 'shared', text: '共有' }]);
    expect(await serverText()).toBe(`<paragraph>${CLAUSE}</paragraph>`);
    const card = ngo.page.getByTestId('suggestion-card').filter({ hasText: 'Ben Kamau' });
    await card.waitFor({ timeout: 15_000 });
    expect(await card.getByTestId('suggestion-change').textContent()).toBe('shared → 共有');
    expect(await paragraphs(ben.page, ['.suggestion-ins'])).toEqual([CLAUSE]);
    expect([...ben.errors, ...ngo.errors]).toEqual([]);
  });

  it('typed over a selection out of an objective’s field changes nothing and says why, as typing does', async () => {
    const { c, w, page, ben, before } = await objectivesAndParagraph(stage);
    const ngo = await stage.join(c.url(c.ngo));
    await page.bringToFront();
    await page.getByTestId('mode-suggesting').click();
    await selectAcross(page, '10 to 20', 'of the agreement', 'when staff leave');

    await compose(page, ['に', 'にほ', 'にほん'], '日本');

    const notice = page.getByTestId('suggest-bar').getByRole('alert');
    await notice.waitFor({ timeout: 10_000 });
    expect(await notice.textContent()).toMatch(/^Nothing was suggested: the selection runs out of an objective’s field/);
    await page.locator('.ProseMirror').blur();
    // The notice stays: no draft was made to be sent after it.
    await waitFor(async () => (await page.locator('.ProseMirror .suggestion--draft').count()) === 0, { what: 'no draft drawn', timeoutMs: 5_000 });
    expect(await notice.count()).toBe(1);
    expect(blockTexts(w)).toEqual(before);
    await othersSee(w, before, 'the text unchanged');
    const drawn = (await shown(page)).drawn.join('|');
    expect(drawn).not.toMatch(/[にほん日本]/);
    expect(await ngo.page.getByTestId('suggestion-card').count()).toBe(0);
    expect([...ben.errors, ...ngo.errors]).toEqual([]);
  });
});

describe('Korean composition in Suggesting mode', () => {
  // Reported: "Korean backspace can leave a stray ㅎ while suggesting". 한 is composed ㅎ → 하 → 한, taken back with
  // Backspace inside the composition (한 → 하 → ㅎ → nothing), and another syllable is composed and committed.
  it('a syllable composed and taken back with Backspace leaves no jamo in the text or the suggestion', async () => {
    const { ben, ngo, serverText, listed } = await benSuggestingOnClause();
    await selectText(ben.page, 'shared ', { caretAfter: true });

    await compose(ben.page, ['ㅎ', '하', '한', '하', 'ㅎ', '']);
    await compose(ben.page, ['ㄴ', '나'], '나');

    expect(await sentSuggestions(ben.page, listed)).toEqual([{ kind: 'text', deleted: '', text: '나' }]);
    expect(await serverText()).toBe(`<paragraph>${CLAUSE}</paragraph>`);
    for (const page of [ben.page, ngo.page]) {
      await page.locator('.ProseMirror .suggestion-ins', { hasText: '나' }).waitFor({ timeout: 10_000 });
      expect(await paragraphs(page)).toEqual(['Liability is shared 나between the parties.']);
    }
    expect([...ben.errors, ...ngo.errors]).toEqual([]);
  });

  // The report's case: the page redraws the paragraph after each step (suggesting keeps the preedit out of the text),
  // which ends the browser's composition, so the input method's last, empty preedit reaches the page as no event at all:
  // ㅎ stayed in the draft, and the next letter typed was suggested after it ("ㅎn").
  it('a syllable taken back to nothing with Backspace, then a letter typed, suggests the letter alone', async () => {
    const { ben, ngo, serverText, listed } = await benSuggestingOnClause();
    await selectText(ben.page, 'shared ', { caretAfter: true });

    await compose(ben.page, ['ㅎ', '하', '한', '하', 'ㅎ', '']);
    await ben.page.keyboard.type('n');

    expect(await sentSuggestions(ben.page, listed)).toEqual([{ kind: 'text', deleted: '', text: 'n' }]);
    expect(await serverText()).toBe(`<paragraph>${CLAUSE}</paragraph>`);
    for (const page of [ben.page, ngo.page]) {
      await page.locator('.ProseMirror .suggestion-ins', { hasText: 'n' }).waitFor({ timeout: 10_000 });
      expect(await paragraphs(page)).toEqual(['Liability is shared nbetween the parties.']);
    }
    expect([...ben.errors, ...ngo.errors]).toEqual([]);
  });

  // Known gap of the fix above: the same syllable taken back to nothing, then a click elsewhere (not a key), left ㅎ in the
  // draft, sent as a suggestion. A click cannot tell it apart by itself (the page sees a mousedown either way); the
  // Backspace the input method took with no preedit after it can. The letter typed after the click is the suggestion
  // that must be stored alone (a stray ㅎ would be sent before it, when the draft moves elsewhere).
  it('a syllable taken back to nothing with Backspace, then a click elsewhere, suggests nothing of it', async () => {
    const { ben, ngo, serverText, listed } = await benSuggestingOnClause();
    await selectText(ben.page, 'shared ', { caretAfter: true });

    await composeKeys(ben.page, hanTakenBack(''));
    await clickOn(ben.page, 'Liability');
    await ben.page.keyboard.type('n');

    expect(await sentSuggestions(ben.page, listed)).toEqual([{ kind: 'text', deleted: '', text: 'n' }]);
    expect(await serverText()).toBe(`<paragraph>${CLAUSE}</paragraph>`);
    for (const page of [ben.page, ngo.page]) {
      await page.locator('.ProseMirror .suggestion-ins', { hasText: 'n' }).waitFor({ timeout: 10_000 });
      expect(await page.locator('.ProseMirror').textContent()).not.toContain('ㅎ');
    }
    expect(await ngo.page.getByTestId('suggestion-card').count()).toBe(1);
    expect([...ben.errors, ...ngo.errors]).toEqual([]);
  });

  it('a syllable taken back to nothing with Backspace, then the editor left, suggests nothing of it', async () => {
    const { ben, ngo, serverText, listed } = await benSuggestingOnClause();
    await selectText(ben.page, 'shared ', { caretAfter: true });

    await composeKeys(ben.page, hanTakenBack(''));
    await ben.page.locator('.ProseMirror').blur();
    await ben.page.locator('.ProseMirror .suggestion--draft').waitFor({ state: 'detached', timeout: 10_000 });
    await clickOn(ben.page, 'Liability');
    await ben.page.keyboard.type('n');

    expect(await sentSuggestions(ben.page, listed)).toEqual([{ kind: 'text', deleted: '', text: 'n' }]);
    expect(await serverText()).toBe(`<paragraph>${CLAUSE}</paragraph>`);
    expect([...ben.errors, ...ngo.errors]).toEqual([]);
  });

  // What the input method still holds when the person clicks away is their word: committed, as a Japanese one is below.
  it('a syllable taken back to its first jamo and held, then a click elsewhere, suggests the jamo', async () => {
    const { ben, ngo, listed } = await benSuggestingOnClause();
    await selectText(ben.page, 'shared ', { caretAfter: true });

    await composeKeys(ben.page, hanTakenBack('ㅎ'));
    await clickOn(ben.page, 'Liability');

    expect(await sentSuggestions(ben.page, listed)).toEqual([{ kind: 'text', deleted: '', text: 'ㅎ' }]);
    await ngo.page.locator('.ProseMirror .suggestion-ins', { hasText: 'ㅎ' }).waitFor({ timeout: 10_000 });
    expect([...ben.errors, ...ngo.errors]).toEqual([]);
  });
});

describe('a Japanese preedit held in Suggesting mode', () => {
  it('then a click elsewhere is committed as a suggestion, as the input method commits it', async () => {
    const { ben, ngo, serverText, listed } = await benSuggestingOnClause();
    await selectText(ben.page, 'shared', { caretAfter: true });

    await composeKeys(ben.page, [
      ['Space', ' '],
      ['KeyN', ' n'],
      ['KeyI', ' に'],
      ['KeyH', ' にh'],
      ['KeyO', ' にほ'],
    ]);
    await clickOn(ben.page, 'Liability');

    expect(await sentSuggestions(ben.page, listed)).toEqual([{ kind: 'text', deleted: '', text: ' にほ' }]);
    expect(await serverText()).toBe(`<paragraph>${CLAUSE}</paragraph>`);
    await ngo.page.locator('.ProseMirror .suggestion-ins', { hasText: ' にほ' }).waitFor({ timeout: 10_000 });
    expect([...ben.errors, ...ngo.errors]).toEqual([]);
  });
});
