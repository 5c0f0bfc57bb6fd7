import { describe, expect, it } from 'vitest';
import { cast, paragraphs, typeAtEnd, useStage, waitForText } from './browser';

const stage = useStage();

describe('typing quickly', () => {
  // Playwright types a letter every few milliseconds, as a busy laptop hands over keystrokes
  // that queued behind other work. The first letter of a new paragraph used to land behind
  // the caret when it came before the browser's next frame ("his clause 1 expires.T"): the
  // new block was still skipped by `content-visibility: auto`.
  it('a new paragraph started with Enter and typed at once keeps every letter where it was typed', async () => {
    const c = await cast(stage.server);
    const ngo = await stage.join(c.url(c.ngo));
    const business = await stage.join(c.url(c.business));
    await typeAtEnd(ngo.page, 'Liability is shared between the parties.');
    await waitForText(business.page, 'Liability is shared between the parties.');

    const wanted = ['Liability is shared between the parties.'];
    for (let i = 1; i <= 25; i++) {
      await ngo.page.keyboard.press('Enter');
      await ngo.page.keyboard.type(`Clause ${i} expires in 2030.`);
      wanted.push(`Clause ${i} expires in 2030.`);
    }
    await waitForText(business.page, 'Clause 25 expires in 2030.');
    expect(await paragraphs(ngo.page)).toEqual(wanted);
    expect(await paragraphs(business.page)).toEqual(wanted);
    expect(ngo.errors).toEqual([]);
  });
});
