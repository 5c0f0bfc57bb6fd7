import { expect, it } from 'vitest';
import { createAgreement } from '../support/server';
import { contentString, synced } from '../support/clients';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { getFrom, requestOver, tcp, webSocketFrom, type Tcp } from '../support/rawTcp';
import { FALLBACK_MAX_CONNECTIONS, readOpenFileLimit, serverConnectionCap } from '../../server/src/http/serverConnections';

// Nothing bounded the connections the server held from all addresses together: many addresses,
// each under its own cap, could take every file descriptor, and then the process could open no
// file (a room's log) nor accept anyone. Over a server-wide cap new connections are now closed as
// they open, while those already open keep working. The addresses are of 127/8 (all loopback on Linux).
const harness = useHarness();
const CAP = 8;

it('with the server full, new connections from any address are closed at once while open stock clients keep editing; once some close, new ones get in', async () => {
  const s = await harness.start({ maxConnections: CAP });
  const f = await createAgreement(s);
  const editor = harness.connect(s, f.agreement.id, f.brokerToken);
  const reader = harness.connect(s, f.agreement.id, f.brokerToken);
  await Promise.all([synced(editor), synced(reader)]);
  // The setup's requests left keep-alive connections: close them, so the two websockets are all that is open.
  s.app.server.closeIdleConnections();
  const open = () => new Promise<number>((done, fail) => s.app.server.getConnections((err, n) => (err ? fail(err) : done(n))));
  await waitFor(async () => (await open()) === 2, { what: 'only the two websockets open' });

  // Six addresses, each far under its own cap, fill the server between them.
  const held: Tcp[] = [];
  for (let i = 0; i < CAP - 2; i++) held.push(await tcp(s.http, `127.0.0.${10 + i}`));
  await waitFor(async () => (await open()) === CAP, { what: 'the server full' });
  const over = await Promise.all([0, 1, 2, 3].map((i) => tcp(s.http, `127.0.0.${30 + i}`)));
  await Promise.all(over.map((c, i) => waitFor(c.isClosed, { what: `a connection from 127.0.0.${30 + i} over the server's cap closed` })));
  expect(await getFrom(s.http, '/api/health', '127.0.0.40')).not.toBe(200);

  // Everyone already in noticed nothing: a held connection serves a request, and the text stays live.
  expect(await requestOver(held[0], '/api/health')).toMatch(/^HTTP\/1.1 200/);
  editor.text.insert(0, 'still live');
  await waitFor(() => contentString(reader.doc).includes('still live'), { what: 'an edit relayed while the server is full' });
  expect(held.some((c) => c.isClosed())).toBe(false);

  // A stock client arriving now is turned away, and tries again (a refused connection is no close code that stops it).
  const late = harness.connect(s, f.agreement.id, f.brokerToken, { webSocket: webSocketFrom('127.0.0.42') });
  await waitFor(() => late.closes.length >= 2, { what: 'the stock client refused twice, still trying' });
  expect(late.provider.synced).toBe(false);

  // Two let go: a request from a new address gets in, and the stock client on its next try.
  for (const c of held.splice(0, 2)) c.socket.destroy();
  await waitFor(async () => (await getFrom(s.http, '/api/health', '127.0.0.41')) === 200, { what: 'a request once places freed' });
  await synced(late);
  expect(contentString(late.doc)).toContain('still live');
});

it('the cap is the one configured, else a share of the open-file limit that leaves room for files (less with instances forwarding)', () => {
  expect(serverConnectionCap({ maxConnections: 50 }, 20_000)).toBe(50);
  expect(serverConnectionCap({ maxConnections: 0 }, 20_000)).toBe(0);
  expect(serverConnectionCap({}, 20_000)).toBe(15_000);
  expect(serverConnectionCap({ databaseUrl: 'postgres://x' }, 20_000)).toBe(10_000);
  expect(serverConnectionCap({}, undefined)).toBe(FALLBACK_MAX_CONNECTIONS);
  // This machine's own limit, read as Linux tells it.
  if (process.platform === 'linux') expect(readOpenFileLimit()).toBeGreaterThan(0);
});
