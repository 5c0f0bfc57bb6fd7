import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { contentRoom } from '#shared/rooms';
import { contentString, paragraphText, synced, type TestClient } from '../support/clients';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { api, createAgreement } from '../support/server';
import { DEFAULT_UPDATE_ALLOWANCE } from '#shared/protocol';
import { storeRewordedText } from '../support/stored';
import { installSyncGuard } from '../../client/src/session/syncGuard';
import { loadMessageLimit, messageLimit, updateAllowance } from '../../client/src/session/messageLimit';

// Found measuring a return visit (bench/client/loadTimeline.ts --warm): a person coming back to a
// long agreement reworded for months has the text on their device. Their client answers the
// server's sync request with everything the server may lack, and Yjs always puts the whole delete
// set in that answer: 20,000 ranges for 40 pages reworded five times, over the server's 5,000 an
// update. The server closed the connection (4500), the client reconnected and answered the same,
// for as long as the page stayed open.

const harness = useHarness();

function closesOf(client: TestClient): { code: number; reason: string }[] {
  const closes: { code: number; reason: string }[] = [];
  client.provider.on('connection-close', (event: CloseEvent | null) => closes.push({ code: event?.code ?? -1, reason: event?.reason ?? '' }));
  return closes;
}

it(
  'a person returning to a much-reworded agreement with its text on their device stays connected, and their edits get through',
  { timeout: 120_000 },
  async () => {
    const s = await harness.start();
    const f = await createAgreement(s);
    const room = contentRoom(f.agreement.id);
    const { state } = await storeRewordedText(s, room, 5);
    const { ds } = Y.decodeUpdate(state);
    expect([...ds.clients.values()].reduce((n, ranges) => n + ranges.length, 0)).toBeGreaterThan(5_000);

    // Their device's copy is the same text, in their document before the connection opens (as on a return visit).
    const returning = harness.connect(s, room, f.brokerToken, { connect: false });
    Y.applyUpdate(returning.doc, state);
    await loadMessageLimit();
    installSyncGuard(returning.provider, { limit: messageLimit, allowance: updateAllowance });
    const closes = closesOf(returning);
    returning.provider.connect();
    await synced(returning, 30_000);

    const other = harness.connect(s, room, f.brokerToken);
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

it('/api/health publishes what one update may hold and the work a connection may ask, as the server checks them', async () => {
  const s = await harness.start({ updateLimits: { maxStructs: 700, maxDeleteRanges: 300 } });
  const health = await api<{ updateAllowance: unknown }>(s, 'GET', '/api/health');
  expect(health.status).toBe(200);
  expect(health.body.updateAllowance).toEqual({ ...DEFAULT_UPDATE_ALLOWANCE, maxStructs: 700, maxDeleteRanges: 300 });
});
