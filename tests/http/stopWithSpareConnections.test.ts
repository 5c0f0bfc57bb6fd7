import { connect, type Socket } from 'node:net';
import { expect, it } from 'vitest';
import { createAgreement } from '../support/server';
import { contentString, synced } from '../support/clients';
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

// Fastify sets no time limit on receiving a request (Node's 300 s is turned off), and a stop waited
// for every request under way. A client sending a body slowly, or never finishing it, held a
// connection for good, and a restart with it: the agreement stayed down until the process manager
// killed the server, losing what the rooms had not yet written.
const POST_HALF_A_BODY = 'POST /api/agreements HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"ti';

/** A connection that sent a request's headers and part of its body, once the server has begun the request. */
async function stalledRequest(server: { http: string; app: { server: NodeJS.EventEmitter } }) {
  const begun = new Promise<void>((done) => server.app.server.once('request', () => done()));
  const stalled = await spareConnection(server.http, POST_HALF_A_BODY);
  await begun;
  let answer = '';
  stalled.socket.on('data', (chunk) => (answer += chunk.toString()));
  return { ...stalled, answer: () => answer };
}

it('a request whose body never finishes holds a stop for its grace at most, and what the room held is still written', async () => {
  const server = await harness.start({ stopGraceMs: 1_000 });
  const f = await createAgreement(server);
  const writer = harness.connect(server, f.agreement.id, f.brokerToken);
  await synced(writer);
  writer.text.insert(0, 'Written just before the restart.');
  const expected = contentString(writer.doc);
  // At the server and not yet written: the stop itself must write it.
  await waitFor(() => server.app.ctx.storage.pendingLogLength(f.agreement.id) > 0, { what: 'the words at the server' });
  const stalled = await stalledRequest(server);

  const tookMs = await timed(() => server.close(), 10_000);
  expect(tookMs).toBeLessThan(5_000);
  await stalled.closed;
  const again = await harness.start({ dataDir: server.dataDir });
  const reader = harness.connect(again, f.agreement.id, f.brokerToken);
  await synced(reader);
  expect(contentString(reader.doc)).toBe(expected);
});

it('a body sent too slowly is answered 408 once the request timeout passes, and the connection is closed', async () => {
  const server = await harness.start({ requestTimeoutMs: 1_000 });
  const stalled = await stalledRequest(server);
  await waitFor(() => stalled.answer().startsWith('HTTP/1.1 408'), { timeoutMs: 10_000, what: 'a 408 for the unfinished body' }).catch((err) => {
    throw new Error(`${String(err)}; answered: ${JSON.stringify(stalled.answer())}`);
  });
  await stalled.closed;
  // Everyone else is served as before.
  expect((await fetch(`${server.http}/api/health`)).status).toBe(200);
});
