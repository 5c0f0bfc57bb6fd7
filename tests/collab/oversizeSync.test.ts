import { expect, it } from 'vitest';
import { connectClient, contentString, paragraphText, synced, type TestClient } from '../support/clients';
import { createAgreement } from '../support/server';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { CloseCode } from '#shared/protocol';
import { installSyncGuard } from '../../client/src/session/syncGuard';

const harness = useHarness();
const LIMIT = 64 * 1024;
const BIG = 'Offline annex text, written on a train. '.repeat(8_000); // about 320 kB

function closesOf(client: TestClient): number[] {
  const codes: number[] = [];
  client.provider.on('connection-close', (event: CloseEvent | null) => codes.push(event?.code ?? -1));
  return codes;
}

it('offline work over the message limit is sent split by the app client, where the stock one is cut off (1009) and loops', async () => {
  const s = await harness.start({ maxMessageBytes: LIMIT });
  const f = await createAgreement(s);
  const room = f.agreement.id;
  const reader = harness.connect(s, room, f.brokerToken);
  await synced(reader);

  // The stock provider alone: its catch-up after connecting is one message over the limit.
  const stock = connectClient(s.ws, room, f.brokerToken, { connect: false });
  paragraphText(stock.doc).insert(0, BIG);
  const stockCloses = closesOf(stock);
  stock.provider.connect();
  try {
    await waitFor(() => stockCloses.filter((c) => c === CloseCode.MessageTooBig).length >= 2, {
      timeoutMs: 10_000,
      what: 'stock client cut off again and again',
    });
  } finally {
    stock.destroy();
  }
  expect(contentString(reader.doc)).not.toContain('train');

  // The same offline work through the app's sync guard: split under the limit, delivered, nobody cut off.
  const app = connectClient(s.ws, room, f.brokerToken, { connect: false });
  paragraphText(app.doc).insert(0, BIG);
  installSyncGuard(app.provider, { limit: () => LIMIT });
  const appCloses = closesOf(app);
  app.provider.connect();
  try {
    await waitFor(() => contentString(reader.doc).includes(BIG), { timeoutMs: 10_000, what: 'offline work delivered' });
    // A live edit over the limit is split too.
    paragraphText(app.doc).insert(0, BIG.toUpperCase());
    await waitFor(() => contentString(reader.doc).includes(BIG.toUpperCase()), { timeoutMs: 10_000, what: 'big live edit delivered' });
    expect(appCloses).toEqual([]);
    expect(contentString(reader.doc)).toBe(contentString(app.doc));
  } finally {
    app.destroy();
  }
});
