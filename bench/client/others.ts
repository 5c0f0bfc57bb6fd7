// Other people's keystrokes as the measured page saw them: the typists stamp each keystroke with
// this process's clock, the page with its own; both are epoch ms.
import type { Page } from 'playwright-core';
import type { Typist } from './typist';

/**
 * How far the page's epoch clock (`performance.timeOrigin + performance.now()`) is ahead of this
 * process's, from the quickest of a few round trips (the page's reading taken as their midpoint).
 */
export async function pageClockOffset(page: Page): Promise<number> {
  const now = () => performance.timeOrigin + performance.now();
  let best = { rtt: Infinity, offset: 0 };
  for (let i = 0; i < 5; i++) {
    const before = now();
    const inPage = await page.evaluate(() => performance.timeOrigin + performance.now());
    const after = now();
    if (after - before < best.rtt) best = { rtt: after - before, offset: inPage - (before + after) / 2 };
  }
  return best.offset;
}

/**
 * Each keystroke a typist sent after `sentBefore[i]`: how late the page showed it (its paragraph
 * reaching that length, `seen` as instrument.js's `watch` records it), Infinity if never.
 */
export function othersDelays(
  typists: Typist[],
  marks: string[],
  seen: Record<string, { length: number; at: number }[]>,
  sentBefore: number[],
  pageClockAhead: number,
): number[] {
  const delays: number[] = [];
  typists.forEach((t, i) => {
    const shown = seen[marks[i]] ?? [];
    t.sentAt.forEach((sent, k) => {
      if (k < sentBefore[i]) return;
      const at = shown.find((s) => s.length >= t.baseLength + k + 1);
      delays.push(at ? at.at - pageClockAhead - sent : Infinity);
    });
  });
  return delays;
}

/**
 * Puts the caret at the end of the paragraph that starts with `mark`, as a person would: a click at
 * the end of its last line, then End. (End after a click in its middle went to the end of a wrapped
 * line, so each run typed into the middle of the previous runs' text.) Resolves once the editor's
 * own selection is there.
 */
export async function caretAtEndOf(page: Page, selector: string, mark: string): Promise<void> {
  const paragraph = page.locator(selector, { hasText: mark });
  const end = await paragraph.evaluate((p) => {
    const range = document.createRange();
    range.selectNodeContents(p);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0 || r.height > 0);
    const last = rects[rects.length - 1];
    return last ? { x: last.right - 1, y: last.top + last.height / 2 } : null;
  });
  if (end) await page.mouse.click(end.x, end.y);
  await page.keyboard.press('End');
  const atEnd = (mark: string) => {
    const editor = (
      document.querySelector('.ProseMirror') as unknown as {
        editor?: { state: { selection: { empty: boolean; $from: { parentOffset: number; parent: { textContent: string } } } } };
      }
    ).editor;
    const selection = editor?.state.selection;
    const $from = selection?.$from;
    return !!selection?.empty && !!$from && $from.parent.textContent.startsWith(mark) && $from.parent.textContent.length === $from.parentOffset;
  };
  try {
    await page.waitForFunction(atEnd, mark, { polling: 'raf', timeout: 5_000 });
  } catch {
    const caret = await page.evaluate(() => {
      const editor = (
        document.querySelector('.ProseMirror') as unknown as {
          editor?: { state: { selection: { $from: { parentOffset: number; parent: { textContent: string } } } } };
        }
      ).editor;
      const $from = editor?.state.selection.$from;
      return $from ? { offset: $from.parentOffset, length: $from.parent.textContent.length, start: $from.parent.textContent.slice(0, 40) } : null;
    });
    throw new Error(`the caret is not at the end of the measured paragraph: ${JSON.stringify(caret)}`);
  }
}
