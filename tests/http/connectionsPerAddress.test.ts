import { expect, it } from 'vitest';
import { api, createAgreement } from '../support/server';
import { contentString, synced } from '../support/clients';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { getFrom, requestOver, tcp, webSocketFrom, type Tcp } from '../support/rawTcp';

// Nothing bounded how many TCP connections one address could hold: a single machine opening
// thousands of idle or slow-header sockets took the server's file descriptors and memory from
// everyone. Each address may now hold a fixed number at once; past it a new one is closed at once.
// The hog here is 127.0.0.2 (Linux routes all of 127/8 to loopback), so the test's own clients on
// 127.0.0.1 stand for everyone else.
const harness = useHarness();
const HOG = '127.0.0.2';

const FromHog = webSocketFrom(HOG);

it('one address holding its cap of connections has its next ones closed at once; everyone else keeps working; once it lets go, a request and a stock client from it succeed', async () => {
  const cap = 8;
  const s = await harness.start({ maxConnectionsPerAddress: cap });
  const f = await createAgreement(s);
  const editor = harness.connect(s, f.agreement.id, f.brokerToken);
  await synced(editor);

  // Opened one after another, so the server accepts them in this order.
  const held: Tcp[] = [];
  for (let i = 0; i < cap; i++) held.push(await tcp(s.http, HOG));
  const over = await Promise.all([0, 1, 2, 3].map(() => tcp(s.http, HOG)));
  await Promise.all(over.map((c, i) => waitFor(c.isClosed, { what: `connection ${cap + i + 1} from the hog's address closed` })));
  expect(await getFrom(s.http, '/api/health', HOG)).not.toBe(200);

  // The hog's own connections work (one serves a request), and nobody else noticed.
  expect(await requestOver(held[0], '/api/health')).toMatch(/^HTTP\/1.1 200/);
  expect(held.some((c) => c.isClosed())).toBe(false);
  expect((await api(s, 'GET', '/api/health')).status).toBe(200);
  const reader = harness.connect(s, f.agreement.id, f.brokerToken);
  await synced(reader);
  editor.text.insert(0, 'still live');
  await waitFor(() => contentString(reader.doc).includes('still live'), { what: 'an edit from another address' });

  // A stock client on the hog's address meanwhile is turned away, and tries again (no close code that stops it);
  // once the hog lets go, a request and that client get in.
  const back = harness.connect(s, f.agreement.id, f.brokerToken, { webSocket: FromHog });
  await waitFor(() => back.closes.length >= 2, { what: 'the stock client refused twice, still trying' });
  expect(back.provider.synced).toBe(false);
  for (const c of held) c.socket.destroy();
  await waitFor(async () => (await getFrom(s.http, '/api/health', HOG)) === 200, { what: 'a request from the hog’s address once it let go' });
  await synced(back);
  expect(contentString(back.doc)).toContain('still live');
});

it('a connection that sends its headers slowly is dropped at the request timeout, and its place freed', async () => {
  const s = await harness.start({ maxConnectionsPerAddress: 1, requestTimeoutMs: 1_000 });
  const slow = await tcp(s.http, HOG);
  slow.socket.write('GET /api/health HTTP/1.1\r\nHo');
  const refused = await tcp(s.http, HOG);
  await waitFor(refused.isClosed, { what: 'a second connection from the address refused' });
  await waitFor(slow.isClosed, { timeoutMs: 10_000, what: 'the slow-header connection dropped' });
  await waitFor(async () => (await getFrom(s.http, '/api/health', HOG)) === 200, { what: 'a request once the slow one was dropped' });
});
