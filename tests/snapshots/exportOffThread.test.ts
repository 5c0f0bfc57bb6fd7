import { monitorEventLoopDelay } from 'node:perf_hooks';
import { expect, it } from 'vitest';
import type { JSONContent } from '@tiptap/core';
import { contentString, synced } from '../support/clients';
import { writeDocument, heading, objective, paragraph } from '../support/document';
import { api, createAgreement } from '../support/server';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';

const harness = useHarness();

const WORDS = 'the parties agree to work together on water access sanitation and hygiene in the river basin each party contributes staff'.split(' ');
const words = (seed: number, count: number) => Array.from({ length: count }, (_, i) => WORDS[(seed * 7 + i * 3) % WORDS.length]).join(' ');

/** A long agreement: `pages` pages of a heading and ten 62-word paragraphs, an objective every two pages. */
function longAgreement(pages: number, edited = false): JSONContent {
  const content: JSONContent[] = [];
  for (let p = 0; p < pages; p++) {
    content.push(heading(2, `${p + 1}. Section ${p + 1}`));
    for (let i = 0; i < 10; i++) content.push(paragraph(`${edited && i === 3 ? 'Amended: ' : ''}${words(p * 10 + i, 62)}.`));
    if (p % 2 === 0) content.push(objective(`o${p}`, { title: `Objective ${p}`, intent: words(p, 12), band: words(p + 1, 20), trigger: words(p + 2, 8) }));
  }
  return { type: 'doc', content };
}

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
    for (const pages of [20, 40, 60, 80]) writeDocument(writer.doc, longAgreement(pages));
    const watcher = harness.connect(s, id, await f.invite({ role: 'observer', name: 'Olu' }));
    await waitFor(() => contentString(watcher.doc).includes('80. Section 80'), { timeoutMs: 30_000, what: 'the long text on the server' });
    const taken = await api<{ id: string }>(s, 'POST', `/api/agreements/${id}/snapshots`, { label: 'Long draft' }, f.brokerToken);
    expect(taken.status).toBe(201);
    writeDocument(writer.doc, longAgreement(80, true));
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
