import type { JSONContent } from '@tiptap/core';
import type { Page } from 'playwright-core';
import type { TestClient } from '../support/clients';
import { readDocument } from '../support/document';

/** The text of each top-level block the stock client holds, in order (an objective's fields run together). */
export function blockTexts(client: TestClient): string[] {
  const words = (node: JSONContent): string => node.text ?? (node.content ?? []).map(words).join('');
  return (readDocument(client.doc).content ?? []).map(words);
}

/**
 * Selects from the start of `start` to the start of `end` with the browser's selection, as a drag across blocks would,
 * and waits until ProseMirror has taken it (a selection that holds `holding`).
 */
export async function selectAcross(page: Page, start: string, end: string, holding = 'Restore the river bank'): Promise<void> {
  await page.bringToFront();
  await page.locator('.ProseMirror').evaluate(
    (root, { start, end }) => {
      const at = (wanted: string): [Node, number] => {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const i = node.textContent?.indexOf(wanted) ?? -1;
          if (i >= 0) return [node, i];
        }
        throw new Error(`"${wanted}" is not in the text`);
      };
      const range = document.createRange();
      range.setStart(...at(start));
      range.setEnd(...at(end));
      getSelection()!.removeAllRanges();
      getSelection()!.addRange(range);
    },
    { start, end },
  );
  // ProseMirror takes the DOM selection on the next selectionchange event: a key before it acts at the old caret.
  await page.waitForFunction(
    ({ start, holding }) => !!getSelection()?.toString().startsWith(start) && getSelection()!.toString().includes(holding),
    { start, holding },
    { polling: 50 },
  );
}
