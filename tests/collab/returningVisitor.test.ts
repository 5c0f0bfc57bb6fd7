import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { contentRoom } from '#shared/rooms';
import { contentString, paragraphText, synced, type TestClient } from '../support/clients';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { api, createAgreement } from '../support/server';
import { CloseCode, DEFAULT_UPDATE_ALLOWANCE } from '#shared/protocol';
import { storeRewordedText } from '../support/stored';
import { paragraphTexts } from '../support/document';
import { installSyncGuard } from '../../client/src/session/syncGuard';
import { loadMessageLimit, messageLimit, updateAllowance } from '../../client/src/session/messageLimit';

// Found measuring a return visit (bench/client/loadTimeline.ts --warm): a person coming back to a
// long agreement reworded for months has the text on their device. Their client answers the
// server's sync request with everything the server may lack, and Yjs always puts the whole delete
// set in that answer: 20,000 ranges for 40 pages reworded five times, over the server's 5,000 an
// update. The server closed the connection (4500), the client reconnected and answered the same,
// for as long as the page stayed open.

const harness = useHarness();

/**
 * A server holding 40 pages reworded five times (20,000 delete ranges), and a client holding the
 * same text before its connection opens, as on a return visit; `closes` logs its closes.
 */
async function returningTo(options?: Parameters<typeof harness.start>[0]) {
  const s = await harness.start(options);
  const f = await createAgreement(s);
  const room = contentRoom(f.agreement.id);
  const { state } = await storeRewordedText(s, room, 5);
  const client = harness.connect(s, room, f.brokerToken, { connect: false });
  Y.applyUpdate(client.doc, state);
  const closes = closesOf(client);
  const other = () => harness.connect(s, room, f.brokerToken);
  return { state, client, closes, other };
}

function closesOf(client: TestClient): { code: number; reason: string }[] {
  const closes: { code: number; reason: string }[] = [];
  client.provider.on('connection-close', (event: CloseEvent | null) => closes.push({ code: event?.code ?? -1, reason: event?.reason ?? '' }));
  return closes;
}

it(
  'a person returning to a much-reworded agreement with its text on their device stays connected, and their edits get through',
  { timeout: 120_000 },
  async () => {
    const { state, client: returning, closes, other: connectOther } = await returningTo();
    const { ds } = Y.decodeUpdate(state);
    expect([...ds.clients.values()].reduce((n, ranges) => n + ranges.length, 0)).toBeGreaterThan(5_000);
    await loadMessageLimit();
    installSyncGuard(returning.provider, { limit: messageLimit, allowance: updateAllowance });
    returning.provider.connect();
    await synced(returning, 30_000);

    const other = connectOther();
    await synced(other, 30_000);
    paragraphText(returning.doc).insert(0, 'Back after the holidays. ');
    await waitFor(() => contentString(other.doc).includes('Back after the holidays.'), {
      timeoutMs: 20_000,
      what: "the returning person's edit at another client",
    });
    expect(closes).toEqual([]);
    expect(contentString(other.doc)).toBe(contentString(returning.doc));
  },
);

it(
  'a stock y-websocket client holding a much-reworded text stays connected, through its reconnects too, and its edits get through',
  { timeout: 120_000 },
  async () => {
    // No sync guard: the stock provider answers the server's sync request with the whole delete
    // set in one update. The server takes from it only what it lacks (here, nothing).
    const { client: stock, closes, other: connectOther } = await returningTo();
    stock.provider.connect();
    await synced(stock, 30_000);
    const other = connectOther();
    await synced(other, 30_000);
    paragraphText(stock.doc).insert(0, 'First words. ');
    await waitFor(() => contentString(other.doc).includes('First words.'), { timeoutMs: 20_000, what: "the stock client's edit at another client" });
    expect(closes).toEqual([]);

    // A network blip: the provider reconnects holding the whole text, and answers the same way.
    stock.provider.ws!.close();
    await waitFor(() => closes.length === 1 && stock.provider.wsconnected && stock.provider.synced, { timeoutMs: 20_000, what: 'the reconnect' });
    paragraphText(stock.doc).insert(0, 'After the blip. ');
    await waitFor(() => contentString(other.doc).includes('After the blip.'), { timeoutMs: 20_000, what: 'the edit after the reconnect' });
    expect(closes.map((close) => close.code)).not.toContain(CloseCode.BadMessage);
    expect(closes).toHaveLength(1);
    expect(contentString(other.doc)).toBe(contentString(stock.doc));
  },
);

it(
  "a device's copy of the text loaded before the connection opens is not split and queued to be sent: the server's sync request asks for what it lacks",
  { timeout: 120_000 },
  async () => {
    // On a return visit the page loads this device's copy first (origin: the copy), then connects. The guard split the whole
    // copy into messages for the server as if it were an edit (90 ms of the return visit's longest task at 60 pages), and
    // sent what its pacing had queued once the connection opened: a megabyte of a much-reworded text, sent again.
    const s = await harness.start();
    const f = await createAgreement(s);
    const room = contentRoom(f.agreement.id);
    const { state } = await storeRewordedText(s, room, 5);
    const client = harness.connect(s, room, f.brokerToken, { connect: false });
    await loadMessageLimit();
    let prepared = 0;
    installSyncGuard(client.provider, {
      limit: () => {
        prepared++;
        return messageLimit();
      },
      allowance: updateAllowance,
    });
    Y.applyUpdate(client.doc, state, 'device copy');
    expect(prepared).toBe(0);
    client.provider.connect();
    await synced(client, 30_000);

    // Connected, an edit is sent as always.
    const other = harness.connect(s, room, f.brokerToken);
    await synced(other, 30_000);
    paragraphText(client.doc).insert(0, 'Back again. ');
    await waitFor(() => contentString(other.doc).includes('Back again.'), { timeoutMs: 20_000, what: 'the edit at another client' });
    expect(contentString(other.doc)).toBe(contentString(client.doc));
  },
);

/** Deletes the first character of `count` paragraphs: as many delete ranges. */
function deleteInParagraphs(doc: Y.Doc, count: number): void {
  const texts = paragraphTexts(doc, 10);
  expect(texts.length).toBeGreaterThanOrEqual(count);
  doc.transact(() => texts.slice(0, count).forEach((text) => text.delete(0, 1)));
}

it('only the deletions new to the room count against what one update may hold', { timeout: 120_000 }, async () => {
  const { client: stock, closes, other: connectOther } = await returningTo({ updateLimits: { maxDeleteRanges: 300 } });
  // Made offline: 100 new deletions beside the 20,000 the room has.
  deleteInParagraphs(stock.doc, 100);
  stock.provider.connect();
  await synced(stock, 30_000);
  const other = connectOther();
  await synced(other, 30_000);
  await waitFor(() => contentString(other.doc) === contentString(stock.doc), { timeoutMs: 20_000, what: 'the 100 deletions at another client' });
  expect(closes).toEqual([]);

  // 400 more made offline are over the 300 one update may hold: refused, as before.
  stock.provider.disconnect();
  deleteInParagraphs(stock.doc, 400);
  stock.provider.connect();
  await waitFor(() => closes.some((close) => close.code === CloseCode.BadMessage), { timeoutMs: 20_000, what: 'the refusal' });
  stock.provider.disconnect();
  // Counted: the new ones only (a deleted first character may span two of the text's pieces), not the 20,000 known.
  const counted = Number(/(\d+) delete ranges \(limit 300\)/.exec(closes.find((close) => close.code === CloseCode.BadMessage)!.reason)?.[1]);
  expect(counted).toBeGreaterThanOrEqual(400);
  expect(counted).toBeLessThan(500);
});

it('/api/health publishes what one update may hold and the work a connection may ask, as the server checks them', async () => {
  const s = await harness.start({ updateLimits: { maxStructs: 700, maxDeleteRanges: 300 } });
  const health = await api<{ updateAllowance: unknown }>(s, 'GET', '/api/health');
  expect(health.status).toBe(200);
  expect(health.body.updateAllowance).toEqual({ ...DEFAULT_UPDATE_ALLOWANCE, maxStructs: 700, maxDeleteRanges: 300 });
});
