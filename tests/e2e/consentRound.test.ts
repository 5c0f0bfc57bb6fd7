import { expect, it } from 'vitest';
import { cast, useStage } from './browser';
import { openRoundOnObjective } from './rounds';

const stage = useStage();

// Nia was writing her party's objection when the broker closed the round: the card turned to "Round closed",
// her party read "No answer", and her words were gone without a word about them.
it('a negotiator writing an objection when the broker closes the round is told it was not sent, and keeps her words', async () => {
  const c = await cast(stage.server);
  const round = await openRoundOnObjective(stage.server, c);
  const nia = await stage.join(c.url(c.ngo));
  const card = nia.page.getByTestId('consent-round');
  await card.getByRole('button', { name: 'Object', exact: true }).click();
  await card.getByLabel('Reason').fill('The county must maintain the pumps.');

  expect((await round.close()).results?.map((r) => r.answer)).toEqual(['no_answer', 'no_answer']);
  await card.and(nia.page.locator('[data-status="closed"]')).waitFor({ timeout: 15_000 });
  await expect
    .poll(() => card.textContent(), { timeout: 5_000 })
    .toContain('The round closed before your “Object” was sent: WaterAid Kenya is recorded as not answering');
  expect(await card.getByTestId('round-unsent').textContent()).toContain('The county must maintain the pumps.');
});
