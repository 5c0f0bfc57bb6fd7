import { expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import { addToDeviceCopy, cast, deviceCopy, useStage, waitForConnection, waitForStoredLocally, waitForText } from './browser';
import { connectClient, synced } from '../support/clients';
import { objective, paragraph, writeDocument } from '../support/document';
import { waitFor } from '../support/poll';

const stage = useStage();

// Offline work that crosses a change of an objective's owner is refused whole (the server cannot take part of one
// client's update), and the page throws its copy away: words the person had every right to write were lost for good,
// with a notice that spoke only of the objective. The page now shows the words the server does not hold, to put back.
it('offline work refused for an objective that changed owner meanwhile: the page shows the words the server does not hold, those written elsewhere too, to put back', async () => {
  const c = await cast(stage.server);
  const broker = connectClient(stage.server.ws, c.fx.agreement.id, c.fx.brokerToken);
  try {
    await synced(broker);
    writeDocument(broker.doc, { type: 'doc', content: [paragraph('Intro paragraph.'), objective('obj1', { title: 'Clean water', intent: 'Shared intent.' })] });
    const nia = await stage.join(c.url(c.ngo));
    await waitForText(nia.page, 'Shared intent.');

    await nia.context.setOffline(true);
    await waitForConnection(nia.page, 'offline');
    await nia.page.locator('.ProseMirror p', { hasText: 'Intro paragraph.' }).first().click();
    await nia.page.keyboard.press('End');
    await nia.page.keyboard.insertText(' Nia offline paragraph words.');
    await nia.page.locator('[data-objective-field="intent"]').click();
    await nia.page.keyboard.press('End');
    await nia.page.keyboard.insertText(' Nia offline objective words.');
    await waitForStoredLocally(nia.page, deviceCopy(c.fx.agreement.id, c.ngo), 'Nia offline objective words.');

    // Meanwhile the broker makes the shared objective the business's own.
    const block = broker.doc
      .getXmlFragment('content')
      .toArray()
      .find((node) => node instanceof Y.XmlElement && node.getAttribute('id') === 'obj1') as Y.XmlElement;
    block.setAttribute('scope', c.fx.businessId);

    await nia.context.setOffline(false);
    await nia.page.getByText('Your change was not saved').waitFor({ timeout: 15_000 });
    await waitForConnection(nia.page, 'live');
    const unsaved = nia.page.getByTestId('unsaved-words');
    await unsaved.waitFor({ timeout: 15_000 });
    expect(await unsaved.innerText()).toContain('Intro paragraph. Nia offline paragraph words.');
    expect(await unsaved.innerText()).toContain('Nia offline objective words.');
  } finally {
    broker.destroy();
  }
});

/** An objective as the app wrote it before owners and indicators were fields: four fields, `title` in the first. */
function olderObjective(id: string, title: string): Y.XmlElement {
  const block = new Y.XmlElement('objective');
  block.setAttribute('id', id);
  block.setAttribute('scope', 'shared');
  block.insert(
    0,
    ['objectiveTitle', 'objectiveIntent', 'objectiveBand', 'objectiveTrigger'].map((name, i) => {
      const field = new Y.XmlElement(name);
      field.insert(0, [new Y.XmlText(i === 0 ? title : '')]);
      return field;
    }),
  );
  return block;
}

/**
 * Nia's page, opened once on "Intro paragraph.", then opened again with `block` in this device's copy after that
 * paragraph, written and never sent (by another version of the app); `check` runs on the page opened again.
 */
async function openWithUnsentBlock(
  block: Y.XmlElement,
  check: (page: Page, url: string, agreementId: string, serverText: () => string) => Promise<void>,
): Promise<void> {
  const c = await cast(stage.server);
  const broker = connectClient(stage.server.ws, c.fx.agreement.id, c.fx.brokerToken);
  try {
    await synced(broker);
    writeDocument(broker.doc, { type: 'doc', content: [paragraph('Intro paragraph.')] });
    const nia = await stage.join(c.url(c.ngo));
    await waitForText(nia.page, 'Intro paragraph.');
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(broker.doc));
    const before = Y.encodeStateVector(copy);
    copy.getXmlFragment('content').insert(1, [block]);
    await nia.page.goto(`${stage.server.http}/`);
    await addToDeviceCopy(nia.page, deviceCopy(c.fx.agreement.id, c.ngo), Y.encodeStateAsUpdate(copy, before));
    await check(nia.page, c.url(c.ngo), c.fx.agreement.id, () => broker.doc.getXmlFragment('content').toString());
  } finally {
    broker.destroy();
  }
}

// A tab left open across a deploy ran the older app and wrote an objective of four fields, kept on the device
// unsent. The server refused it with a close (4500): the page reconnected and sent it again for good, and so did
// the new app after a reload, reading the device's copy: "Reconnecting…" for ever, nothing written reaching anyone.
it('an objective the older app left on the device unsent is declined: the page stays connected and shows its words to put back', async () => {
  await openWithUnsentBlock(olderObjective('older1', 'Older app objective words'), async (page, url) => {
    await page.goto(url);
    await page.getByText('Your change was not saved').waitFor({ timeout: 15_000 });
    await waitForConnection(page, 'live');
    expect(await page.getByTestId('unsaved-words').innerText()).toContain('Older app objective words');
  });
});

// A change the server's schema cannot read is refused with a close (4500): a newer app's attribute after the operator
// went back to an older server, or an instance not yet updated while others are. Kept on the device unsent, the page
// sent it again on each reconnect, closed each time a moment later: "Reconnecting…" for good, ten sockets a second,
// nothing written reaching anyone. The page now takes such a close as the refusal it is, as it does a declined change.
it('a change the server cannot read, left on the device unsent, is refused once: the page reloads the text, stays connected and shows its words to put back', async () => {
  // What a newer app left: a paragraph with an attribute this server does not know.
  const block = new Y.XmlElement('paragraph');
  block.setAttribute('letterStyle', 'lower-alpha');
  block.insert(0, [new Y.XmlText('Newer app paragraph words')]);
  await openWithUnsentBlock(block, async (page, url, agreementId) => {
    let sockets = 0;
    page.on('websocket', (socket) => void (new URL(socket.url()).pathname === `/collab/${agreementId}` && sockets++));
    await page.goto(url);
    await page.getByText('Your change was not saved').waitFor({ timeout: 15_000 });
    await waitForConnection(page, 'live');
    expect(await page.getByTestId('unsaved-words').innerText()).toContain('Newer app paragraph words');
    // The refused socket and the one opened on the server's text, not one per refusal.
    expect(sockets).toBeLessThanOrEqual(3);
  });
});
// A refused change reloads the text from the server in a new editor: the caret vanished with the old one, and what
// the person typed next went nowhere until they clicked into the text again.
it('after a refused change reloads the text, the caret is where it was and typing goes on there', async () => {
  await openWithUnsentBlock(olderObjective('older1', 'Older app objective words'), async (page, url, agreementId, serverText) => {
    // The server's messages a third of a second late, as on a slow link: the person has the caret in the text
    // (the page shows the device's copy at once) before the refusal comes.
    await page.routeWebSocket(
      (address) => address.pathname === `/collab/${agreementId}`,
      (socket) => {
        const server = socket.connectToServer();
        server.onMessage((message) => setTimeout(() => socket.send(message), 300));
      },
    );
    await page.goto(url);
    await page.locator('.ProseMirror p', { hasText: 'Intro paragraph.' }).click();
    await page.keyboard.press('End');
    await page.getByText('Your change was not saved').waitFor({ timeout: 15_000 });
    await waitForConnection(page, 'live');
    await page.waitForFunction(() => document.activeElement?.closest('.ProseMirror') !== null, undefined, { timeout: 15_000 });
    await page.keyboard.type(' Typed on.');
    await waitFor(() => serverText().includes('<paragraph>Intro paragraph. Typed on.</paragraph>'), {
      what: 'the words typed on at the server, after the intro',
    });
  });
});
