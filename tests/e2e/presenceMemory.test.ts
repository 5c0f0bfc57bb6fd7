import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { connectClient, synced } from '../support/clients';
import { waitFor } from '../support/poll';
import { contentRoom } from '#shared/rooms';
import { cast, useStage } from './browser';

const stage = useStage();

/**
 * The most presence clocks one awareness in the page keeps (y-protocols' `meta`, a Map of
 * `{ clock, lastUpdated }` by client id), found among the page's Maps through the inspector.
 */
async function presenceClocksKept(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { result: prototype } = (await cdp.send('Runtime.evaluate', { expression: 'Map.prototype' })) as { result: { objectId: string } };
    const { objects } = (await cdp.send('Runtime.queryObjects', { prototypeObjectId: prototype.objectId })) as { objects: { objectId: string } };
    const { result } = (await cdp.send('Runtime.callFunctionOn', {
      objectId: objects.objectId,
      returnByValue: true,
      functionDeclaration: `function () {
        const clocks = this.filter((map) => {
          const first = map.values().next().value;
          return first !== null && typeof first === 'object' && 'clock' in first && 'lastUpdated' in first;
        });
        return Math.max(0, ...clocks.map((map) => map.size));
      }`,
    })) as { result: { value: number } };
    return result.value;
  } finally {
    await cdp.detach();
  }
}

// Every page load is a new awareness id. An open page kept the presence clock of every id it ever
// saw in the room: over a long session one per visit of anyone, and one person reloading (or a
// client reconnecting under fresh ids) in a loop grew the memory of every page in the room.
it('an open page keeps no note of the presences that came and went while it was open', async () => {
  const c = await cast(stage.server);
  const nia = await stage.join(c.url(c.ngo));
  const VISITS = 40;
  for (let visit = 0; visit < VISITS; visit++) {
    const ben = connectClient(stage.server.ws, contentRoom(c.fx.agreement.id), c.business);
    await synced(ben);
    ben.provider.awareness.setLocalStateField('cursor', null);
    ben.destroy();
  }
  // Every visit's removal reaches the page in order after it: at the end, Nia's own clock at most.
  let kept = Infinity;
  await waitFor(async () => (kept = await presenceClocksKept(nia.page)) <= 2, { timeoutMs: 5000 }).catch(() => {});
  expect(kept).toBeLessThanOrEqual(2);
});
