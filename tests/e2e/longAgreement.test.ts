import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { JSONContent } from '@tiptap/core';
import { contentRoom } from '#shared/rooms';
import { connectClient, synced } from '../support/clients';
import { heading, objective, paragraph, writeDocument } from '../support/document';
import { cast, useStage, waitForText, type Cast } from './browser';

// Issue 17: a long agreement stays quick without losing what people see and do with it.
const stage = useStage();

const BLOCKS = 300;
const END = 'The last clause of the agreement.';

/** Writes a long agreement (headings, paragraphs, an objective every 60 blocks) through a stock client and opens it as Nia. */
async function openLongAgreement(c: Cast): Promise<Page> {
  const content: JSONContent[] = [heading(1, 'River Restoration Partnership')];
  for (let i = 0; i < BLOCKS; i++) {
    if (i % 12 === 0) content.push(heading(2, `${i / 12 + 1}. Section`));
    content.push(paragraph(`Clause ${i}: the parties share the monitoring of the river banks and report on it every quarter.`));
    if (i % 60 === 30) content.push(objective(`o${i}`, { title: `Objective ${i}`, intent: 'Clean water' }, { owners: 'Amina' }));
  }
  content.push(paragraph(END));
  const writer = connectClient(stage.server.ws, contentRoom(c.fx.agreement.id), c.ngo);
  try {
    await synced(writer);
    writeDocument(writer.doc, { type: 'doc', content });
    const { page } = await stage.join(c.url(c.ngo));
    await waitForText(page, END, 30_000);
    return page;
  } finally {
    writer.destroy();
  }
}

it(
  '[17] a React render while the caret is in a long text neither reads the whole text nor moves the caret (patches/react-dom)',
  { timeout: 90_000 },
  async () => {
    const c = await cast(stage.server);
    const page = await openLongAgreement(c);
    await page.locator('.ProseMirror p', { hasText: 'Clause 5:' }).click();
    await page.keyboard.press('End');

    // Count reads of text nodes while a panel re-renders (the Show filter changes) with the editor still focused.
    const reads = await page.evaluate(async () => {
      const descriptor = Object.getOwnPropertyDescriptor(Node.prototype, 'nodeValue') as PropertyDescriptor;
      let count = 0;
      Object.defineProperty(Node.prototype, 'nodeValue', {
        ...descriptor,
        get() {
          count++;
          return (descriptor.get as () => string | null).call(this);
        },
      });
      const select = document.querySelector('select[aria-label="Show"]') as HTMLSelectElement;
      try {
        select.value = 'all';
        select.dispatchEvent(new Event('change', { bubbles: true }));
        await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
      } finally {
        Object.defineProperty(Node.prototype, 'nodeValue', descriptor);
      }
      return { count, focused: document.activeElement?.classList.contains('ProseMirror'), value: select.value };
    });
    expect(reads.value).toBe('all');
    expect(reads.focused).toBe(true);
    // The unpatched commit reads every text node of the editor (over 300 here).
    expect(reads.count).toBeLessThan(50);

    // The caret is where it was: typing lands at the end of that clause.
    await page.keyboard.type(' Typed here.');
    await page.waitForFunction(() => [...document.querySelectorAll('.ProseMirror p')].some((p) => p.textContent?.endsWith('every quarter. Typed here.')));
    const typed = await page.locator('.ProseMirror p', { hasText: 'Typed here.' }).textContent();
    expect(typed).toMatch(/^Clause 5: .* Typed here\.$/);
  },
);

it(
  '[17] a long agreement opens with every block in the page (find-in-page and print see all of it) and becomes editable once all is shown',
  { timeout: 90_000 },
  async () => {
    const c = await cast(stage.server);
    const page = await openLongAgreement(c);
    // The text is shown a slice per task; once the last block is there the editor takes keystrokes.
    await page.waitForFunction(() => document.querySelector('.ProseMirror')?.getAttribute('contenteditable') === 'true');
    const text = await page.evaluate(() => document.querySelector('.ProseMirror')?.textContent ?? '');
    expect(text).toContain('Clause 0:');
    expect(text).toContain('Clause 299:');
    expect(text).toContain(END);
    // The browser's own find reaches blocks far off screen (content-visibility: auto keeps them searchable).
    expect(await page.evaluate((end) => (window as unknown as { find(text: string): boolean }).find(end), END)).toBe(true);
    expect(
      await page.evaluate(() =>
        (window as unknown as { find(text: string, caseSensitive: boolean, backwards: boolean): boolean }).find('Clause 299:', false, true),
      ),
    ).toBe(true);
    expect(await page.locator('.ProseMirror > *').count()).toBeGreaterThan(BLOCKS);
    expect(await page.getByTestId('objective').count()).toBe(5);
  },
);
