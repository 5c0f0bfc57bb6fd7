import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { contentRoom } from '#shared/rooms';
import { contentString, synced, syncGap, type TestClient } from '../support/clients';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { createAgreement, type TestServer } from '../support/server';
import { storeRewordedText } from '../support/stored';
import { paragraphTexts } from '../support/document';

// A returning visitor (a page that holds the text reloads or reconnects) is answered with what it
// lacks and the text's whole delete set. The server keeps that delete set as changes come rather than
// walking every struct of the text for each visitor (server/src/rooms/keptDeletions.ts); whatever it
// keeps, the visitor must end with exactly the server's text, deletions included, while others type.

const harness = useHarness();

/** What a client or the room holds, in the form two replicas must share to be the same text. */
function replica(doc: Y.Doc): { text: string; stateVector: number[]; deleteSet: number[] } {
  const stateVector = Y.encodeStateVector(doc);
  // Yjs's own delete set of the doc, read from every struct: an update holding no struct, only it.
  return { text: contentString(doc), stateVector: [...stateVector], deleteSet: [...Y.encodeStateAsUpdate(doc, stateVector)] };
}

function roomReplica(s: TestServer, room: string): Promise<ReturnType<typeof replica>> {
  return s.app.ctx.rooms.with(room, (open) => replica(open.doc));
}

/**
 * Types into paragraph `at` of `client` every few milliseconds until stopped: a word, and every third
 * time the word before taken back (a correction: a deletion of something written after any kept state).
 */
function typeAway(client: TestClient, at: number): { stop: () => void; corrections: () => number } {
  let n = 0;
  const timer = setInterval(() => {
    const text = paragraphTexts(client.doc, 10)[at];
    if (!text) return;
    n++;
    if (n % 3 === 0) text.delete(0, 'word  '.length);
    else text.insert(0, `word${n % 10} `);
  }, 15);
  return { stop: () => clearInterval(timer), corrections: () => Math.floor(n / 3) };
}

it(
  'a visitor returning with the text on their device, twice more after a blip, ends with exactly the server’s text while two others type and correct',
  { timeout: 120_000 },
  async () => {
    const s = await harness.start();
    const f = await createAgreement(s);
    const room = contentRoom(f.agreement.id);
    const { state } = await storeRewordedText(s, room, 3, 10);

    const [nia, ben] = [harness.connect(s, room, f.brokerToken), harness.connect(s, room, f.brokerToken)];
    await Promise.all([synced(nia, 30_000), synced(ben, 30_000)]);
    const typing = [typeAway(nia, 1), typeAway(ben, 2)];

    // The visitor's device holds the stored text and what it did offline: a word reworded, and a paragraph
    // written then removed (its words arrive already collected, as structs Yjs marks deleted by their kind).
    const visitor = harness.connect(s, room, f.brokerToken, { connect: false });
    Y.applyUpdate(visitor.doc, state);
    const offline = paragraphTexts(visitor.doc, 10)[5];
    offline.delete(3, 4);
    offline.insert(3, 'shall');
    const fragment = visitor.doc.getXmlFragment('content');
    const aside = new Y.XmlElement('paragraph');
    aside.insert(0, [new Y.XmlText('A note written and removed offline.')]);
    fragment.insert(7, [aside]);
    fragment.delete(7, 1);
    // Ben removes a whole paragraph meanwhile: its words are collected on the server.
    ben.doc.getXmlFragment('content').delete(20, 1);

    visitor.provider.connect();
    await synced(visitor, 30_000);
    for (let blip = 1; blip <= 2; blip++) {
      // Away for a moment: others correct themselves and Ben removes old text, deletions the visitor must be told of.
      visitor.provider.disconnect();
      await waitFor(() => !visitor.provider.wsconnected && !visitor.provider.synced, { what: `the visitor's disconnect ${blip}` });
      const corrected = typing[0].corrections();
      ben.doc.getXmlFragment('content').delete(20 + blip, 1);
      paragraphTexts(ben.doc, 10)[4].delete(0, 9);
      await waitFor(() => typing[0].corrections() >= corrected + 3, { what: "Nia's corrections while the visitor is away" });
      visitor.provider.connect();
      await waitFor(() => visitor.provider.wsconnected && visitor.provider.synced, { timeoutMs: 20_000, what: `the visitor's return ${blip}` });
      paragraphTexts(visitor.doc, 10)[3].insert(0, `Back ${blip}. `);
    }
    for (const typist of typing) typist.stop();

    const server = async () => roomReplica(s, room);
    for (const [who, client] of [
      ['the visitor', visitor],
      ['Nia', nia],
      ['Ben', ben],
    ] as const) {
      await waitFor(async () => JSON.stringify(replica(client.doc)) === JSON.stringify(await server()), {
        timeoutMs: 20_000,
        what: `${who} holding exactly the server's text (${syncGap(nia, client)})`,
      });
    }
    const final = await server();
    expect(replica(visitor.doc)).toEqual(final);
    expect(final.text).toContain('Back 2. ');
    expect(final.text).toContain('shall');
    expect(final.text).not.toContain('A note written and removed offline.');
    // The server never closed the visitor's connection (the client's own closes leave no code below 4000 here).
    expect(visitor.closes.filter((close) => close.code >= 4000)).toEqual([]);
  },
);
