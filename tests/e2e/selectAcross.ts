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
  // ProseMirror takes the DOM selection on the next selectionchange event, and Chromium runs a waiting key event before
  // that task when busy: a key before it acts at the old caret (a cut of an empty selection does nothing). So this
  // waits for the editor's own selection (Tiptap keeps the editor on its root element) to span the wanted text.
  await page.waitForFunction(
    ({ start, holding }) => {
      const selected = getSelection()?.toString() ?? '';
      if (!selected.startsWith(start) || !selected.includes(holding)) return false;
      const root = document.querySelector('.ProseMirror') as
        (Element & { editor?: { state: { selection: { from: number; to: number }; doc: { textBetween(from: number, to: number): string } } } }) | null;
      const selection = root?.editor?.state.selection;
      return !!selection && root!.editor!.state.doc.textBetween(selection.from, selection.to).startsWith(start);
    },
    { start, holding },
    { polling: 50 },
  );
}
