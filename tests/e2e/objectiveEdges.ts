import type { JSONContent } from '@tiptap/core';
import type { Page } from 'playwright-core';
import { contentFragment } from '#shared/anchors';
import { contentRoom } from '#shared/rooms';
import { connectClient, synced, type TestClient } from '../support/clients';
import { heading, objective, paragraph, writeDocument } from '../support/document';
import { waitFor } from '../support/poll';
import { cast, type Stage } from './browser';
import { blockTexts } from './selectAcross';

// The text the edits over an objective's edge are tried on (objectiveFieldEdits, objectiveEdgeInput): no other party's objective in it.

export const SHARED_TEXT = 'Fund the water kiosksSafe water40 to 60 kioskswhen prices riseBen';
export const OWN_TEXT = 'Train kiosk staffSkilled staff10 to 20 trainedwhen staff leaveBen';

/** A heading, a shared objective, the business's own objective and a closing paragraph: opened by the business's `page`, read by the NGO's `w`. */
export async function objectivesAndParagraph(stage: Stage) {
  const c = await cast(stage.server);
  const writer = connectClient(stage.server.ws, contentRoom(c.fx.agreement.id), c.business);
  await synced(writer);
  writeDocument(writer.doc, {
    type: 'doc',
    content: [
      heading(2, 'Shared objectives'),
      objective('shared1', { title: 'Fund the water kiosks', intent: 'Safe water', band: '40 to 60 kiosks', trigger: 'when prices rise' }, { owners: 'Ben' }),
      objective(
        'biz1',
        { title: 'Train kiosk staff', intent: 'Skilled staff', band: '10 to 20 trained', trigger: 'when staff leave' },
        { owners: 'Ben', scope: c.fx.businessId },
      ),
      paragraph('Closing words of the agreement.'),
    ],
  } satisfies JSONContent);
  await waitFor(() => stage.server.app.ctx.rooms.with(c.fx.agreement.id, (r) => contentFragment(r.doc).toString().includes('Closing words')), {
    what: 'the text on the server',
  });
  const w = connectClient(stage.server.ws, contentRoom(c.fx.agreement.id), c.ngo);
  await synced(w);
  const ben = await stage.join(c.url(c.business));
  await ben.page.getByTestId('objective').nth(1).waitFor();
  const before = ['Shared objectives', SHARED_TEXT, OWN_TEXT, 'Closing words of the agreement.'];
  return { c, w, page: ben.page, ben, before };
}

/** Waits until the other party's copy reads `texts`, block by block. */
export async function othersSee(w: TestClient, texts: string[], what: string): Promise<void> {
  await waitFor(() => blockTexts(w).join('|') === texts.join('|'), { what: `${what} at the other party; has ${JSON.stringify(blockTexts(w))}` });
}

/** Pastes `text` as plain text at the selection, as the browser does for Ctrl+V. */
export async function pastePlain(page: Page, text: string): Promise<void> {
  await page.locator('.ProseMirror').evaluate((el, text) => {
    const data = new DataTransfer();
    data.setData('text/plain', text);
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, text);
}

/** The text a page draws, block by block and an objective field by field (others' caret labels left out), and the text its editor holds. */
export function shown(page: Page): Promise<{ drawn: string[]; held: unknown }> {
  return page.locator('.ProseMirror').evaluate((root) => {
    const text = (el: Element) => {
      const copy = el.cloneNode(true) as Element;
      copy.querySelectorAll('.collaboration-carets__caret').forEach((label) => label.remove());
      return copy.textContent ?? '';
    };
    const drawn = [...root.querySelectorAll(':scope > p, :scope > h2, [data-objective-field]')].map(text);
    return { drawn, held: (root as HTMLElement & { editor: { getJSON(): unknown } }).editor.getJSON() };
  });
}
