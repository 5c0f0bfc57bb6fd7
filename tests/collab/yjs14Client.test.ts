import { expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y14 from '@y/y';
import { WebsocketProvider as Y14Provider } from '@y/websocket';
import * as decoding from 'lib0/decoding';
import { parseUpdateMeta } from 'yjs';
import { paragraphText, synced } from '../support/clients';
import { createAgreement } from '../support/server';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';

const harness = useHarness();

/**
 * The Yjs 14 provider as a second client library. Its connection check turns green when a local
 * edit comes back from the server (the reference servers echo every update to its sender):
 * mirrored here by watching its incoming sync updates for its own client id (read with Yjs 13's
 * parseUpdateMeta: the v1 update format is the same, and Yjs 14 has no such helper).
 */
it('the Yjs 14 provider (@y/websocket 4) connects, syncs both ways, and sees its own edit confirmed', async () => {
  const s = await harness.start();
  const f = await createAgreement(s);
  const room = f.agreement.id;
  const stock = harness.connect(s, room, f.brokerToken);
  await synced(stock);
  // In a paragraph of the text: the server refuses types the schema does not know.
  paragraphText(stock.doc).insert(0, 'from yjs 13;');

  const doc = new Y14.Doc();
  const provider = new Y14Provider(s.ws, room, doc, {
    params: { token: await f.invite({ role: 'negotiator', name: 'Neo', party: f.ngoId }) },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  try {
    const confirmed: number[] = [];
    const handle = provider.messageHandlers[0];
    provider.messageHandlers[0] = (encoder, decoder, p, emitSynced, messageType) => {
      const peek = decoding.clone(decoder);
      const type = decoding.readVarUint(peek);
      if (type === 1 || type === 2) confirmed.push(...parseUpdateMeta(decoding.readVarUint8Array(peek)).to.keys());
      handle(encoder, decoder, p, emitSynced, messageType);
    };
    await waitFor(() => provider.synced, { what: 'Yjs 14 provider synced' });
    const text = (doc.getXmlFragment('content').get(0) as Y14.XmlElement).get(0) as Y14.XmlText;
    expect(text.toString()).toBe('from yjs 13;');

    text.insert(text.length, ' from yjs 14');
    await waitFor(() => confirmed.includes(doc.clientID), { what: 'own edit echoed (status green)' });
    await waitFor(() => paragraphText(stock.doc).toString() === 'from yjs 13; from yjs 14', { what: 'stock client sees it' });
    expect(provider.wsconnected).toBe(true);
  } finally {
    provider.destroy();
  }
});
