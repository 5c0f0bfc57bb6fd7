import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { cast, selectText, useStage, waitForText, writeAtEnd } from './browser';

const stage = useStage();

/** Switches `page` to Suggesting mode, selects `text` and types `replacement` over it. */
async function suggestOver(page: Page, text: string, replacement: string): Promise<void> {
  await page.bringToFront();
  await page.getByTestId('mode-suggesting').click();
  await page.locator('.ProseMirror:not([aria-readonly])').waitFor();
  await selectText(page, text);
  await page.keyboard.type(replacement);
  await page.locator('.ProseMirror .suggestion-ins', { hasText: replacement }).waitFor({ timeout: 10_000 });
}

/**
 * Those who may not write an objective (a legal reviewer; another party's negotiator on a party's own
 * objective) suggest changes to its words: the server takes such suggestions and keeps accepting them
 * to the objective's party. The editor's own-objective guard refused their typing before suggesting
 * mode could turn it into a suggestion, so nothing happened and nothing said why.
 */
describe('suggesting on an objective one may not write', () => {
  it('a legal reviewer, and the other party on a party’s own objective, suggest a new wording; its party accepts', async () => {
    const c = await cast(stage.server);
    const ngo = await stage.join(c.url(c.ngo));
    await writeAtEnd(ngo.page, 'The parties work together.');
    await ngo.page.getByRole('button', { name: '+ Objective' }).click();
    await ngo.page.keyboard.type('Clean river water for ten villages');
    await ngo.page.getByTestId('objective').getByLabel('Whose objective').selectOption(c.fx.ngoId);
    const legal = await stage.join(c.url(c.legal));
    const business = await stage.join(c.url(c.business));
    await waitForText(business.page, 'ten villages');

    await suggestOver(legal.page, 'river', 'lake');
    await suggestOver(business.page, 'ten', 'twelve');

    const cards = ngo.page.getByTestId('suggestion-card');
    const fromLegal = cards.filter({ hasText: 'Lena Vogt' });
    const fromBusiness = cards.filter({ hasText: 'Ben Kamau' });
    await fromLegal.waitFor({ timeout: 15_000 });
    await fromBusiness.waitFor({ timeout: 15_000 });
    expect(await fromLegal.getByTestId('suggestion-change').textContent()).toBe('river → lake');
    expect(await fromBusiness.getByTestId('suggestion-change').textContent()).toBe('ten → twelve');
    await ngo.page.bringToFront();
    await fromLegal.getByTestId('suggestion-accept').click();
    await fromLegal.waitFor({ state: 'detached', timeout: 15_000 });
    await fromBusiness.getByTestId('suggestion-accept').click();
    for (const person of [ngo, business]) await waitForText(person.page, 'Clean lake water for twelve villages');
    for (const person of [ngo, legal, business]) expect(person.errors).toEqual([]);
  });
});
