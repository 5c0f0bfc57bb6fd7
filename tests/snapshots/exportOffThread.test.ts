import { monitorEventLoopDelay } from 'node:perf_hooks';
import { expect, it } from 'vitest';
import { useHarness } from '../support/harness';
import { longVersions } from '../support/longVersions';

const harness = useHarness();

// Rendering a .docx of a 40-page agreement took 580 to 730 ms of the server's main thread, and
// Markdown 60 to 130 ms: every room's sync on that server waited behind any participant's download,
// and nothing limits how often a participant downloads. Exports and redlines now render in the
// document worker. The bound below is far above what a request costs the event loop when it only
// waits for the worker, and far below what rendering 80 pages there costs.
it(
  "downloading exports and redlines of a long agreement (and opening or comparing its snapshots) does not stall the server's event loop",
  { timeout: 120_000 },
  async () => {
    const { s, f, id, snapshotId } = await longVersions(harness, { pages: 80, amendEvery: 10, objectiveEvery: 2 });

    const downloads = [
      `/snapshots/${snapshotId}/export?format=docx`,
      `/snapshots/live/export?format=docx`,
      `/snapshots/live/export?format=md`,
      `/snapshots/${snapshotId}/export?format=html`,
      `/redline?from=${snapshotId}&to=live`,
      `/redline`,
      `/snapshots/${snapshotId}`,
      `/diff?from=${snapshotId}&to=live`,
    ];
    // Each download twice, keeping the shorter hold-up: rendering on the event loop holds it up
    // every time, while the server's own work after the long edit (storing it) may fall in one.
    const stalls: Record<string, number[]> = {};
    for (const round of [0, 1]) {
      for (const path of downloads) {
        const delay = monitorEventLoopDelay({ resolution: 10 });
        delay.enable();
        const response = await fetch(`${s.http}/api/agreements/${id}${path}`, { headers: { authorization: `Bearer ${f.brokerToken}` } });
        const body = Buffer.from(await response.arrayBuffer());
        delay.disable();
        expect(response.status, path).toBe(200);
        expect(body.length, path).toBeGreaterThan(1000);
        (stalls[path] ??= [])[round] = Math.round(delay.max / 1e6);
      }
    }
    // The longest the event loop was held up while each download was made, in ms.
    expect(Object.entries(stalls).filter(([, ms]) => Math.min(...ms) > 250)).toEqual([]);
  },
);
