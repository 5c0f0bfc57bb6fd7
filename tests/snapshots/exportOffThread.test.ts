import { monitorEventLoopDelay } from 'node:perf_hooks';
import { expect, it } from 'vitest';
import { contentString, synced } from '../support/clients';
import { longAgreement, writeDocument } from '../support/document';
import { api, createAgreement } from '../support/server';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';

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
    const s = await harness.start();
    const f = await createAgreement(s);
    const id = f.agreement.id;
    const writer = harness.connect(s, id, f.brokerToken);
    await synced(writer);
    // In steps, so no single update is near the message limit.
    for (const pages of [20, 40, 60, 80]) writeDocument(writer.doc, longAgreement(pages, { objectiveEvery: 2 }));
    const watcher = harness.connect(s, id, await f.invite({ role: 'observer', name: 'Olu' }));
    await waitFor(() => contentString(watcher.doc).includes('80. Section 80'), { timeoutMs: 30_000, what: 'the long text on the server' });
    const taken = await api<{ id: string }>(s, 'POST', `/api/agreements/${id}/snapshots`, { label: 'Long draft' }, f.brokerToken);
    expect(taken.status).toBe(201);
    writeDocument(writer.doc, longAgreement(80, { amendEvery: 10, objectiveEvery: 2 }));
    await waitFor(() => contentString(watcher.doc).includes('Amended:'), { what: 'the amended text on the server' });

    const downloads = [
      `/snapshots/${taken.body.id}/export?format=docx`,
      `/snapshots/live/export?format=docx`,
      `/snapshots/live/export?format=md`,
      `/snapshots/${taken.body.id}/export?format=html`,
      `/redline?from=${taken.body.id}&to=live`,
      `/redline`,
      `/snapshots/${taken.body.id}`,
      `/diff?from=${taken.body.id}&to=live`,
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
