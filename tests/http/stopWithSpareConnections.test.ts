import { connect, type Socket } from 'node:net';
import { expect, it } from 'vitest';
import { createAgreement } from '../support/server';
import { synced } from '../support/clients';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';

// Browsers open spare connections ahead of need (Chromium's preconnect) and may never send on
// them. Node's graceful close waits for such a socket until its header timeout, 60 to 90 s, so
// a restart, or a restore from a backup, kept the server down that long while a page was open.
const harness = useHarness();

/** A TCP connection to the server, open once connected; `firstBytes` is all it ever sends. */
async function spareConnection(http: string, firstBytes = ''): Promise<{ socket: Socket; closed: Promise<void> }> {
  const { hostname, port } = new URL(http);
  const socket = connect(Number(port), hostname);
  const closed = new Promise<void>((done) => socket.on('close', () => done()));
  socket.on('error', () => {});
  await new Promise<void>((done) => socket.once('connect', () => done()));
  if (firstBytes) socket.write(firstBytes);
  return { socket, closed };
}

/** How long `close` takes, failing at `limitMs` instead of waiting for the test's own timeout. */
async function timed(close: () => Promise<void>, limitMs: number): Promise<number> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new Error(`the server took over ${limitMs} ms to close`)), limitMs);
  });
  try {
    await Promise.race([close(), limit]);
  } finally {
    clearTimeout(timer);
  }
  return Date.now() - started;
}

it('a server with an open page stops at once: spare connections that sent nothing, or half a request, do not hold it', async () => {
  const server = await harness.start();
  const f = await createAgreement(server);
  const reader = harness.connect(server, f.agreement.id, f.brokerToken);
  await synced(reader);
  // A connection that served a request and waits, kept alive, for the next.
  const keptAlive = await spareConnection(server.http, `GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n`);
  const answered = await new Promise<string>((done) => keptAlive.socket.once('data', (chunk) => done(chunk.toString())));
  expect(answered).toMatch(/^HTTP\/1.1 200/);
  const silent = await spareConnection(server.http);
  const halfSent = await spareConnection(server.http, 'GET /api/health HTTP/1.1\r\nHo');

  const tookMs = await timed(() => server.close(), 10_000);
  expect(tookMs).toBeLessThan(10_000);
  await Promise.all([silent.closed, halfSent.closed, keptAlive.closed]);
  // The page was told the server is going (1001), as before, and its client will reconnect.
  await waitFor(() => !reader.provider.wsconnected, { what: 'the page to see the server go' });
});
