import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { cast, deviceCopy, useStage, waitForConnection, waitForStoredLocally, waitForText } from './browser';
import { connectClient, synced } from '../support/clients';
import { objective, paragraph, writeDocument } from '../support/document';

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
