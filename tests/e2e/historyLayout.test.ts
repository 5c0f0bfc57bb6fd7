import { expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { api } from '../support/server';
import { waitFor } from '../support/poll';
import type { SnapshotSummary } from '#shared/snapshots';
import { cast, useStage, type Cast } from './browser';

// What a legal reviewer reads in the History area stays whole and readable: dates, long
// snapshot names, and the names over an open snapshot or comparison.
const stage = useStage();

async function snapshot(c: Cast, token: string, label: string): Promise<SnapshotSummary> {
  const { status, body } = await api<SnapshotSummary>(stage.server, 'POST', `/api/agreements/${c.fx.agreement.id}/snapshots`, { label }, token);
  expect(status).toBe(201);
  return body;
}

/** How many lines the date after the last "·" of a snapshot's "who · when" line takes on screen. */
function linesOfDate(by: Locator): Promise<number> {
  return by.evaluate((el) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const nodes: Text[] = [];
    for (let node = walker.nextNode(); node; node = walker.nextNode()) nodes.push(node as Text);
    const whole = nodes.map((n) => n.data).join('');
    let start = whole.lastIndexOf('·') + 1;
    while (whole[start] === ' ') start++;
    const range = document.createRange();
    for (const node of nodes) {
      if (start <= node.data.length) {
        range.setStart(node, start);
        break;
      }
      start -= node.data.length;
    }
    range.setEnd(nodes[nodes.length - 1], nodes[nodes.length - 1].data.length);
    const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
    return tops.size;
  });
}

type Box = { x: number; y: number; width: number; height: number };
const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** The boxes of the text inside `locator`, line by line as drawn (a heading's own box spans the width even where its words stop). */
function textBoxes(locator: Locator): Promise<Box[]> {
  return locator.evaluate((el) => {
    const range = document.createRange();
    range.selectNodeContents(el);
    return [...range.getClientRects()].filter((r) => r.width > 0).map((r) => ({ x: r.x, y: r.y, width: r.width, height: r.height }));
  });
}

async function openPanel(c: Cast, count: number): Promise<{ page: Page; panel: Locator }> {
  const { page } = await stage.join(c.url(c.legal));
  const panel = page.getByTestId('history-panel');
  await panel
    .getByTestId('snapshot-item')
    .nth(count - 1)
    .waitFor();
  return { page, panel };
}

it('the History panel shows each snapshot’s date and time on one line, whoever took it', async () => {
  const c = await cast(stage.server);
  await snapshot(c, c.fx.brokerToken, 'Scoping notes');
  await snapshot(c, c.ngo, 'NGO draft');
  await snapshot(c, c.business, 'Business draft');
  const { panel } = await openPanel(c, 3);
  for (const item of await panel.getByTestId('snapshot-item').all()) {
    const by = item.locator('.history__by');
    expect(await linesOfDate(by), `${await by.textContent()}`).toBe(1);
  }
});

it('two snapshots taken in the same minute show times a reviewer can tell apart', async () => {
  const c = await cast(stage.server);
  const minute = (s: SnapshotSummary) => s.createdAt.slice(0, 16);
  const second = (s: SnapshotSummary) => s.createdAt.slice(0, 19);
  // A few seconds apart, as a broker takes one after another; should a minute turn between two, the next pair shares one.
  const taken = [await snapshot(c, c.fx.brokerToken, 'Draft 1')];
  while (taken.length < 2 || minute(taken.at(-1)!) !== minute(taken.at(-2)!)) {
    const last = taken.at(-1)!;
    await waitFor(() => new Date().toISOString().slice(0, 19) !== second(last), { what: 'the next second' });
    taken.push(await snapshot(c, c.fx.brokerToken, `Draft ${taken.length + 1}`));
  }
  const [a, b] = taken.slice(-2);
  const { panel } = await openPanel(c, taken.length);
  const shown = async (label: string) => (await panel.getByTestId('snapshot-item').filter({ hasText: label }).locator('time').textContent())!;
  expect(await shown(a.label)).not.toBe(await shown(b.label));
});

it('a long snapshot name without spaces stays inside the History panel, its Open button with it', async () => {
  const c = await cast(stage.server);
  await snapshot(c, c.fx.brokerToken, 'Draft_v3_final_for_legal_review_2026-03-03_after_Kisumu_workshop');
  const { page, panel } = await openPanel(c, 1);
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    const item = panel.getByTestId('snapshot-item');
    const inside = await item.evaluate((el) => {
      const panelBox = el.closest('.panel')!.getBoundingClientRect();
      return [...el.querySelectorAll('.history__label, button')].map((child) => {
        const box = child.getBoundingClientRect();
        return { what: child.textContent, inside: box.left >= panelBox.left && box.right <= panelBox.right && child.scrollWidth <= child.clientWidth + 1 };
      });
    });
    expect(inside, `at ${width}px`).toEqual([
      { what: 'Draft_v3_final_for_legal_review_2026-03-03_after_Kisumu_workshop', inside: true },
      { what: 'Open', inside: true },
    ]);
  }
});

it('a long snapshot name over an open snapshot or a comparison is not hidden under the Close button', async () => {
  const c = await cast(stage.server);
  const label = 'Draft for the boards of WaterAid Kenya and Acme Beverages East Africa after the Kisumu workshop of 3 March';
  await snapshot(c, c.fx.brokerToken, label);
  const { page, panel } = await openPanel(c, 1);
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await panel.getByTestId('snapshot-item').getByRole('button', { name: 'Open' }).click();
    await page.getByTestId('snapshot-viewer').waitFor();
    const close = (await page.getByRole('button', { name: 'Close' }).boundingBox())!;
    const title = await textBoxes(page.getByTestId('snapshot-viewer').locator('.history-meta h2'));
    expect(
      title.filter((line) => overlaps(line, close)),
      `snapshot at ${width}px`,
    ).toEqual([]);
    await page.getByRole('button', { name: 'Close' }).click();

    await panel.getByLabel(`Select “${label}” to compare`).check();
    await panel.getByRole('button', { name: 'Compare selected with live text' }).click();
    await page.getByTestId('compare-view').waitFor();
    const heading = await textBoxes(page.getByTestId('compare-view').locator('.history-meta h2'));
    const closeNow = (await page.getByRole('button', { name: 'Close' }).boundingBox())!;
    expect(
      heading.filter((line) => overlaps(line, closeNow)),
      `comparison at ${width}px`,
    ).toEqual([]);
    await page.getByRole('button', { name: 'Close' }).click();
    await panel.getByLabel(`Select “${label}” to compare`).uncheck();
  }
});

/** The characters of an element's text, line by line as drawn. */
function linesOfText(locator: Locator): Promise<string[]> {
  return locator.evaluate((el) => {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const lines = new Map<number, string>();
    for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
      for (let i = 0; i < node.data.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const rect = [...range.getClientRects()].find((r) => r.width > 0);
        if (!rect) continue;
        const top = Math.round(rect.top + rect.height / 2);
        const line = [...lines.keys()].find((t) => Math.abs(t - top) < rect.height / 2) ?? top;
        lines.set(line, (lines.get(line) ?? '') + node.data[i]);
      }
    }
    return [...lines.entries()].sort(([a], [b]) => a - b).map(([, text]) => text);
  });
}

it('an open snapshot’s fingerprint wraps in whole groups of characters, never one character alone', async () => {
  const c = await cast(stage.server);
  const taken = await snapshot(c, c.fx.brokerToken, 'Board draft');
  const { page, panel } = await openPanel(c, 1);
  await panel.getByTestId('snapshot-item').getByRole('button', { name: 'Open' }).click();
  const fingerprint = page.getByTestId('snapshot-viewer').getByTestId('fingerprint');
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    const lines = (await linesOfText(fingerprint)).map((line) => line.replace(/\s/g, ''));
    // Still the whole fingerprint, as scripts/fingerprint.ts prints it.
    expect(lines.join(''), `at ${width}px`).toBe(taken.hash);
    expect(Math.min(...lines.map((line) => line.length)), `${lines.join(' / ')} at ${width}px`).toBeGreaterThanOrEqual(8);
  }
});

it('the HTML export’s header wraps each fingerprint in whole groups of eight, never one character alone, and selecting it copies the exact hex', async () => {
  const c = await cast(stage.server);
  const first = await snapshot(c, c.fx.brokerToken, 'First draft');
  const taken = await snapshot(c, c.fx.brokerToken, 'Board draft');
  const res = await fetch(`${stage.server.http}/api/agreements/${c.fx.agreement.id}/snapshots/${taken.id}/export?format=html`, {
    headers: { authorization: `Bearer ${c.legal}` },
  });
  expect(res.status).toBe(200);
  const page = await (await stage.newContext()).newPage();
  await page.setContent(await res.text());
  for (const [label, hash] of [
    ['Fingerprint (SHA-256): ', taken.hash],
    ['Previous fingerprint: ', first.hash],
  ]) {
    const item = page.locator('.cg-meta li', { hasText: label });
    const start = label.replace(/\s/g, '').length;
    for (const width of [1280, 390, 320]) {
      await page.setViewportSize({ width, height: 900 });
      const lines = (await linesOfText(item)).map((line) => line.replace(/\s/g, ''));
      expect(lines.join(''), `at ${width}px`).toBe(`${label.replace(/\s/g, '')}${hash}`);
      // Each line holds whole groups of the fingerprint: its piece starts and ends on a multiple of eight.
      let at = 0;
      const pieces = lines.map((line) => {
        const [from, to] = [Math.max(at, start) - start, Math.max(at + line.length, start) - start];
        at += line.length;
        return { from, to };
      });
      expect(
        pieces.filter(({ from, to }) => from % 8 !== 0 || to % 8 !== 0),
        `${lines.join(' / ')} at ${width}px`,
      ).toEqual([]);
    }
    // Selected and copied, the line is the label and the very hex scripts/fingerprint.ts prints.
    const selected = await item.evaluate((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(range);
      return getSelection()!.toString();
    });
    expect(selected).toBe(`${label}${hash}`);
  }
});
