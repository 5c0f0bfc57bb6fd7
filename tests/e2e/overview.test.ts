import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { heading, objective, paragraph } from '../support/document';
import { cast, useStage, waitForText, writeBeforeOpening } from './browser';

// The agreement overview in the side panel: standing, quick wins, outline, completeness.
const stage = useStage();

/** Opens `url` in a fresh context that records every text the objectives' and quick wins' panels show, from the first. */
async function openRecordingPanels(url: string): Promise<Page> {
  const context = await stage.newContext();
  await context.addInitScript(() => {
    const shown: string[] = [];
    (window as unknown as { shown: string[] }).shown = shown;
    new MutationObserver(() => {
      for (const id of ['standing-title', 'quick-wins-title']) {
        const text = document.getElementById(id)?.closest('section')?.textContent ?? '';
        if (text && shown[shown.length - 1] !== text) shown.push(text);
      }
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

// The objectives were hashed after the text was read, and until then (88 ms here) the panels showed an agreement
// with none: "Objectives 0", "Quick wins 0" and the hint to mark some, on every opening.
it('opening an agreement, the objectives’ and quick wins’ panels never show it without its objectives', async () => {
  const c = await cast(stage.server);
  const doc = {
    type: 'doc',
    content: [
      heading(2, 'Shared objectives'),
      objective(
        'o1',
        { title: 'First wells', intent: 'Water', band: '5 to 8', trigger: 'Drought' },
        { owners: 'Nia', quickWin: true, targetDate: '2027-03-31' },
      ),
      paragraph('The end of the text.'),
    ],
  };
  await writeBeforeOpening(stage.server, c.fx.agreement.id, c.ngo, doc, 'The end of the text');
  const page = await openRecordingPanels(c.url(c.business));
  await waitForText(page, 'The end of the text.');
  await page.getByTestId('quick-wins').getByText('First wells').waitFor();
  const shown = await page.evaluate(() => (window as unknown as { shown: string[] }).shown);
  expect(shown.filter((text) => /^(Objectives|Quick wins) ?0/.test(text)).map((text) => text.slice(0, 30))).toEqual([]);
});

// Owners are typed as text since they became fields: spaces alone are no owner, as the completeness panel says ("empty:
// owners"), but the quick wins read "Owners:  · Waiting" with nobody named.
it('a quick win whose owners field holds only spaces reads “No owners yet”, as completeness calls it empty', async () => {
  const c = await cast(stage.server);
  const doc = {
    type: 'doc',
    content: [
      objective(
        'o1',
        { title: 'First wells', intent: 'Water', band: '5 to 8', trigger: 'Drought' },
        { owners: '   ', quickWin: true, targetDate: '2027-03-31' },
      ),
      objective('o2', { title: 'School latrines', intent: 'Hygiene', band: '2 to 4', trigger: 'Floods' }, { owners: ' Nia Otieno ', quickWin: true }),
      paragraph('The end of the text.'),
    ],
  };
  await writeBeforeOpening(stage.server, c.fx.agreement.id, c.ngo, doc, 'The end of the text');
  const { page } = await stage.join(c.url(c.business));
  await page.getByTestId('quick-wins').getByText('School latrines').waitFor();
  expect(await page.getByTestId('quick-wins').locator('.timeline__meta').allTextContents()).toEqual([
    'No owners yet · Waiting',
    'Owners: Nia Otieno · Waiting',
  ]);
  expect(await page.getByTestId('completeness').getByText('First wells').locator('..').textContent()).toContain('empty: owners');
});
