import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { cast, useStage, waitForConnection, waitForText, writeAtEnd } from './browser';
import { connectClient, synced, type TestClient } from '../support/clients';
import { waitFor } from '../support/poll';

// Yjs gives a doc a new client id when a remote update carries the doc's own (it takes it for
// another client writing under it); the page's presence was left under the old one.
const stage = useStage();

/** The client ids others see as present for `personName`. */
function presentIds(client: TestClient, personName: string): number[] {
  return [...client.provider.awareness.getStates()].filter(([, state]) => (state as { user?: { name?: string } }).user?.name === personName).map(([id]) => id);
}

it('after Yjs gives the page a new client id, its presence follows: it goes offline and back, and leaves by the home link, without an error', async () => {
  const c = await cast(stage.server);
  const nia = await stage.join(c.url(c.ngo));
  await writeAtEnd(nia.page, 'Words of Nia.');
  // The same person on another device, who may write under the ids she is present under.
  const other = connectClient(stage.server.ws, c.fx.agreement.id, c.ngo);
  try {
    await synced(other);
    await waitFor(() => other.doc.getXmlFragment('content').toString().includes('Words of Nia.'), { what: "Nia's words at the other device" });
    const pageId = await waitFor(() => presentIds(other, 'Nia Otieno').find((id) => id !== other.doc.clientID), { what: "the page's presence" });
    // Writing under it as the same person may: the page's doc then gets a new id from Yjs.
    other.doc.clientID = pageId;
    const fragment = other.doc.getXmlFragment('content');
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText('Written under the page’s own id.')]);
    fragment.insert(fragment.length, [paragraph]);
    await waitForText(nia.page, 'Written under the page’s own id.');

    await nia.context.setOffline(true);
    await waitForConnection(nia.page, 'offline');
    await nia.context.setOffline(false);
    await waitForConnection(nia.page, 'live');
    await writeAtEnd(nia.page, ' After the new id.');
    await waitFor(() => other.doc.getXmlFragment('content').toString().includes('After the new id.'), { what: 'the words typed after the new id' });
    // Present again after the reconnect, under an id that is not the old one.
    await waitFor(() => presentIds(other, 'Nia Otieno').some((id) => id !== pageId && id !== other.doc.clientID), {
      what: "the page's presence under its new id",
    });

    await nia.page.locator('.topbar--agreement a.brand').click();
    await nia.page.locator('.home').waitFor({ timeout: 10_000 });
    expect(nia.errors).toEqual([]);
    // Left for good: the others see nobody of hers but the other device.
    await waitFor(() => presentIds(other, 'Nia Otieno').every((id) => id === other.doc.clientID), { what: 'the page gone from presence' });
  } finally {
    other.destroy();
  }
});
