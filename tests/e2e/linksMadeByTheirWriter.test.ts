import { expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Page } from 'playwright-core';
import { contentRoom } from '#shared/rooms';
import { connectClient, synced } from '../support/clients';
import { heading, longAgreement } from '../support/document';
import { storeText } from '../support/stored';
import { cast, useStage, waitForText, type Cast } from './browser';
import { waitFor } from '../support/poll';

// A bare web address becomes a link as its writer types the space after it (Tiptap's autolink), in
// the writer's editor only: everyone else gets the link with the words. A page that links words it
// did not type shows a link nobody made, and writes it into the shared text with its next edit there.
const stage = useStage();

const LETTERHEAD = 'River Partnership Office, riverpartners.example.org';

const linksIn = (page: Page, selector: string) => page.locator(`${selector} a`).count();

/** The attributes the first block's words carry in the shared text (a link is a `link` attribute). */
function firstBlockMarks(doc: Y.Doc): string[] {
  const first = doc.getXmlFragment('content').get(0) as Y.XmlElement;
  const words = first.get(0) as Y.XmlText;
  return words.toDelta().flatMap((op: { attributes?: Record<string, unknown> }) => Object.keys(op.attributes ?? {}));
}

/** Opens the agreement as Nia, who edits its first line; her page and the shared text must hold no link there. */
async function expectFirstLineUnlinked(c: Cast, room: string): Promise<void> {
  const { page } = await stage.join(c.url(c.ngo), { liveWithinMs: 60_000 });
  await waitForText(page, LETTERHEAD, 60_000);
  // What the page holds for the line it edits is written to the shared text.
  await page.locator('.ProseMirror > h1').click();
  await page.keyboard.press('Home');
  await page.keyboard.type('The ');

  const reader = connectClient(stage.server.ws, room, c.business);
  try {
    await synced(reader);
    await waitFor(() => (reader.doc.getXmlFragment('content').get(0) as Y.XmlElement).toString().includes('The River'), {
      what: "the page's edit of the first line",
    });
    expect({ shared: firstBlockMarks(reader.doc), page: await linksIn(page, '.ProseMirror > h1') }).toEqual({ shared: [], page: 0 });
  } finally {
    reader.destroy();
  }
}

it.each([
  ['a short text', 1],
  ['a long text (applied with the binding held, shown a slice at a time)', 70],
])('%s whose first line ends with a bare web address opens as it is: no link made on the page, none written back', { timeout: 120_000 }, async (_, pages) => {
  const c = await cast(stage.server);
  const room = contentRoom(c.fx.agreement.id);
  const text = longAgreement(pages);
  text.content = [heading(1, LETTERHEAD), ...(text.content ?? [])];
  await storeText(stage.server, room, text);
  await expectFirstLineUnlinked(c, room);
});

it(
  "[17] the writer's own bare web address still becomes a link as they type the space after it, and the others get it linked",
  { timeout: 60_000 },
  async () => {
    const c = await cast(stage.server);
    const { page } = await stage.join(c.url(c.ngo));
    await page.locator('.ProseMirror').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('Reports go to riverpartners.example.org each quarter.');
    await waitFor(async () => (await linksIn(page, '.ProseMirror')) === 1, { what: 'the address linked as typed' });

    const reader = connectClient(stage.server.ws, contentRoom(c.fx.agreement.id), c.business);
    try {
      await synced(reader);
      await waitFor(() => reader.doc.getXmlFragment('content').toString().includes('each quarter.'), { what: 'the typed words at the reader' });
      expect(reader.doc.getXmlFragment('content').toString()).toMatch(/<link[^>]*>riverpartners\.example\.org<\/link>/);
    } finally {
      reader.destroy();
    }
  },
);
