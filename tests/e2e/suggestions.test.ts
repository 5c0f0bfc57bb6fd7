import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { cast, selectText, typeAtEnd, useStage, waitForText } from './browser';

const stage = useStage();

/** The text itself: without other people's carets and without suggestions drawn over it. */
function textOnly(page: Page): Promise<string> {
  return page.locator('.ProseMirror').evaluate((el) => {
    const copy = el.cloneNode(true) as Element;
    copy.querySelectorAll('.collaboration-carets__caret, .suggestion-ins').forEach((node) => node.remove());
    return copy.textContent ?? '';
  });
}

describe('suggestions in the browser', () => {
  it('a legal reviewer suggests a replacement; a negotiator sees the card live and accepts it; both texts change', async () => {
    const c = await cast(stage.server);
    const ngo = await stage.join(c.url(c.ngo));
    const legal = await stage.join(c.url(c.legal));
    await typeAtEnd(ngo.page, 'Liability is shared between the parties.');
    await waitForText(legal.page, 'Liability is shared between the parties.');

    // Read-only until the reviewer switches to Suggesting.
    expect(await legal.page.locator('.ProseMirror').getAttribute('contenteditable')).toBe('false');
    await legal.page.bringToFront();
    await legal.page.getByTestId('mode-suggesting').click();
    await legal.page.locator('.ProseMirror[contenteditable="true"]').waitFor();
    await selectText(legal.page, 'shared between');
    await legal.page.keyboard.type('split equally between');
    // Drawn as a suggestion in the reviewer's text; the text itself is unchanged.
    await legal.page.locator('.ProseMirror .suggestion-ins', { hasText: 'split equally between' }).waitFor();
    expect(await textOnly(legal.page)).toBe('Liability is shared between the parties.');

    // The negotiator sees the card, naming the reviewer, with what it changes.
    const card = ngo.page.getByTestId('suggestion-card').filter({ hasText: 'Lena Vogt' });
    await card.waitFor({ timeout: 15_000 });
    expect(await card.getByTestId('suggestion-change').textContent()).toBe('shared between → split equally between');
    await ngo.page.locator('.ProseMirror .suggestion-del', { hasText: 'shared between' }).waitFor();
    // The reviewer cannot accept; the negotiator can.
    expect(await legal.page.getByTestId('suggestion-accept').count()).toBe(0);
    await ngo.page.bringToFront();
    await card.getByTestId('suggestion-accept').click();

    const accepted = 'Liability is split equally between the parties.';
    for (const person of [ngo, legal]) {
      await person.page.waitForFunction(
        (wanted) => {
          const el = document.querySelector('.ProseMirror');
          if (!el) return false;
          const copy = el.cloneNode(true) as Element;
          copy.querySelectorAll('.collaboration-carets__caret, .suggestion-ins').forEach((node) => node.remove());
          return copy.textContent === wanted;
        },
        accepted,
        { timeout: 15_000 },
      );
      await person.page.getByTestId('suggestion-card').waitFor({ state: 'detached' });
    }
    expect(await textOnly(ngo.page)).toBe(accepted);
    expect(ngo.errors).toEqual([]);
    expect(legal.errors).toEqual([]);
  });
});
