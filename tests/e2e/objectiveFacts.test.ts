import { expect, it } from 'vitest';
import { cast, useStage, writeBeforeOpening } from './browser';
import { objective, paragraph } from '../support/document';
import { waitFor } from '../support/poll';

const stage = useStage();

// An objective's owners and indicators are attributes, which Yjs syncs whole, last writer wins.
// Each keystroke sent the field's whole text, and a field showed every value arriving from the
// others even while its person typed in it: two people filling in the owners at once typed into
// each other's words, and both were left with a mix neither wrote.
// Before: one person’s words: expected [ 'Ben Kaimau,, AcameerAid', 'Ben Kaimau,, AcameerAid' ] to satisfy [Function].
it('two negotiators typing the owners at once end with one person’s words, not a mix; the one overwritten is told', async () => {
  const c = await cast(stage.server);
  await writeBeforeOpening(
    stage.server,
    c.fx.agreement.id,
    c.ngo,
    { type: 'doc', content: [objective('o1', { title: 'Restore the banks', intent: 'Clean water' }), paragraph('The end.')] },
    'The end',
  );
  const nia = await stage.join(c.url(c.ngo));
  const ben = await stage.join(c.url(c.business));
  const typed = { nia: 'Nia Otieno, WaterAid', ben: 'Ben Kamau, Acme' };
  await nia.page.getByLabel('Owners').focus();
  await ben.page.getByLabel('Owners').focus();
  await Promise.all([nia.page.keyboard.type(typed.nia, { delay: 30 }), ben.page.keyboard.type(typed.ben, { delay: 30 })]);
  await nia.page.keyboard.press('Tab');
  await ben.page.keyboard.press('Tab');

  const values = () => Promise.all([nia.page, ben.page].map((page) => page.getByLabel('Owners').inputValue()));
  const [value] = await waitFor(
    async () => {
      const seen = await values();
      return seen[0] === seen[1] ? seen : null;
    },
    { timeoutMs: 10_000, what: 'both pages showing the same owners' },
  );
  expect(await values(), 'one person’s words').toSatisfy(([shown]: string[]) => shown === typed.nia || shown === typed.ben);
  // Whoever typed first sees that their words were replaced, and by what.
  const overwritten = value === typed.nia ? ben.page : nia.page;
  await overwritten
    .getByTestId('objective')
    .getByRole('status')
    .filter({ hasText: `Changed by someone else while you typed: now “${value}”` })
    .waitFor({ timeout: 5_000 });
});
