import { describe, expect, it } from 'vitest';
import { cast, cutFieldTexts, useStage } from './browser';

// Fixes from a walk-through as the broker who runs a live session and the negotiators who follow it.
const stage = useStage();
const SLOW = { timeout: 60_000 };

describe("the broker's walk-through", () => {
  it("shows the agenda planner's fields whole in the side panel: the outline picker's prompt and the free item's example", SLOW, async () => {
    const c = await cast(stage.server);
    const { page } = await stage.join(c.url(c.fx.brokerToken));
    const planner = page.getByTestId('session-console');
    await planner.getByLabel('Add from the outline').waitFor();
    for (const width of [1440, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      expect(await cutFieldTexts(planner.locator('select, input')), `${width}px wide`).toEqual([]);
    }
  });
});
