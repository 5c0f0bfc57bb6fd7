import { expect, it } from 'vitest';
import { CloseCode, isFinalCloseCode } from '#shared/protocol';
import { ErrorCode } from '#shared/errors';
import { contentString, paragraphText, synced, type TestClient } from '../support/clients';
import { createAgreement, type TestServer } from '../support/server';
import { waitFor } from '../support/poll';
import { useHarness } from '../support/harness';
import { useOwnPostgres } from '../support/databases';
import { storedContent } from '../support/cluster';

// A PostgreSQL of its own: stopping the shared one would cut the other test files off.
const postgres = useOwnPostgres();
const h = useHarness();

/** How long an instance waits for the database before it answers 503 (kept short for the test). */
const DEADLINE_MS = 1500;
/** What "within the deadline" may take on this loaded 2-core machine: the deadline, plus a generous margin. */
const ANSWER_BOUND_MS = DEADLINE_MS + 8000;

/** One request that must answer: a hang fails it after `ANSWER_BOUND_MS`, it never waits forever. */
async function request(server: TestServer, method: string, path: string, token?: string, body?: unknown) {
  const started = Date.now();
  const response = await fetch(`${server.http}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(ANSWER_BOUND_MS),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    body: (await response.json()) as Record<string, unknown>,
    ms: Date.now() - started,
  };
}

function client(server: TestServer, room: string, token: string): { client: TestClient; closes: number[] } {
  const c = h.connect(server, room, token);
  const closes: number[] = [];
  c.provider.on('connection-close', (event: CloseEvent | null) => closes.push(event?.code ?? 0));
  return { client: c, closes };
}

it('PostgreSQL away: HTTP answers 503 within the deadline, health says so, clients are told to reconnect; back: everything resumes and nothing acknowledged is lost', async () => {
  const a = await h.start({ databaseUrl: postgres().url, storageDeadlineMs: DEADLINE_MS });
  const b = await h.start({ databaseUrl: postgres().url, storageDeadlineMs: DEADLINE_MS });
  const f = await createAgreement(a);
  const id = f.agreement.id;
  const nia = await f.invite({ role: 'negotiator', name: 'Nia Otieno', party: f.ngoId });
  const ben = await f.invite({ role: 'negotiator', name: 'Ben Kamau', party: f.businessId });
  const { client: onA, closes: closesA } = client(a, id, nia);
  const { client: onB, closes: closesB } = client(b, id, ben);
  await Promise.all([synced(onA), synced(onB)]);
  paragraphText(onA.doc).insert(0, 'Acknowledged before. ');
  await waitFor(() => contentString(onB.doc).includes('Acknowledged before. '), { what: 'B sees the edit' });

  await postgres().halt();

  // Reads and writes through either instance answer 503 with a code and Retry-After, within the deadline.
  for (const [server, method, path, body] of [
    [a, 'GET', `/api/agreements/${id}`, undefined],
    [b, 'GET', `/api/agreements/${id}/threads`, undefined],
    [b, 'POST', `/api/agreements/${id}/snapshots`, { label: 'While away' }],
  ] as const) {
    const answer = await request(server, method, path, nia, body);
    expect(answer.status, `${method} ${path}`).toBe(503);
    expect(answer.body.code).toBe(ErrorCode.StorageUnavailable);
    expect(typeof answer.body.error).toBe('string');
    expect(Number(answer.retryAfter)).toBeGreaterThan(0);
  }
  // A load balancer can tell: health is 503 and names the storage (and still publishes the message limit).
  const health = await request(a, 'GET', '/api/health');
  expect(health.status).toBe(503);
  expect(health.body).toMatchObject({ ok: false, storage: 'unavailable', code: ErrorCode.StorageUnavailable });
  expect(typeof health.body.maxMessageBytes).toBe('number');

  // The clients are told with codes the stock provider reconnects after; what they type meanwhile is theirs until stored.
  await waitFor(() => closesA.length > 0 && closesB.length > 0, { timeoutMs: 20_000, what: 'both clients told' });
  paragraphText(onA.doc).insert(paragraphText(onA.doc).length, 'Typed while away. ');
  await waitFor(() => !onA.provider.synced || !onA.provider.wsconnected, { what: 'A not in sync while away' });
  expect(contentString(onB.doc)).not.toContain('Typed while away.');

  await postgres().resume();
  await waitFor(async () => (await request(a, 'GET', '/api/health')).status === 200, { timeoutMs: 30_000, intervalMs: 200, what: 'health back' });
  await waitFor(() => [onA, onB].every((c) => c.provider.wsconnected && c.provider.synced), { timeoutMs: 30_000, what: 'both sessions back' });
  await waitFor(() => contentString(onB.doc).includes('Acknowledged before. Typed while away. '), {
    timeoutMs: 30_000,
    what: 'the edit typed while away arrives',
  });
  paragraphText(onB.doc).insert(paragraphText(onB.doc).length, 'After.');
  await waitFor(() => contentString(onA.doc).includes('Typed while away. After.'), { timeoutMs: 20_000, what: 'an edit after reaches A' });
  await waitFor(async () => (await storedContent(postgres().url, id)).includes('Acknowledged before. Typed while away. After.'), {
    timeoutMs: 20_000,
    intervalMs: 200,
    what: 'everything stored',
  });
  // The owner lost its lease with the lock connection (4503), then no instance could serve it (1013): both reconnect.
  expect([...closesA, ...closesB].filter(isFinalCloseCode)).toEqual([]);
  expect(new Set([...closesA, ...closesB])).toEqual(new Set([CloseCode.OwnerLost, CloseCode.TryAgainLater]));
  expect((await request(b, 'POST', `/api/agreements/${id}/snapshots`, nia, { label: 'Back' })).status).toBe(201);
}, 180_000);

it('PostgreSQL frozen (connections open, nothing answers): requests still answer 503 within the deadline, and the sessions resume when it answers again', async () => {
  const a = await h.start({ databaseUrl: postgres().url, storageDeadlineMs: DEADLINE_MS });
  const f = await createAgreement(a);
  const id = f.agreement.id;
  const nia = await f.invite({ role: 'negotiator', name: 'Nia Otieno', party: f.ngoId });
  const { client: one, closes } = client(a, id, nia);
  const { client: two } = client(a, id, f.brokerToken);
  await Promise.all([synced(one), synced(two)]);
  paragraphText(one.doc).insert(0, 'Seen. ');
  await waitFor(() => contentString(two.doc).includes('Seen. '), { what: 'the other sees it' });

  await postgres().freeze();
  try {
    const answer = await request(a, 'GET', `/api/agreements/${id}/snapshots`, nia);
    expect(answer.status).toBe(503);
    expect(answer.body.code).toBe(ErrorCode.StorageUnavailable);
    expect((await request(a, 'GET', '/api/health')).status).toBe(503);
    // An edit now cannot be stored: it is not relayed, and the room tells its clients to reconnect.
    paragraphText(one.doc).insert(paragraphText(one.doc).length, 'Unstored. ');
    await waitFor(() => closes.includes(CloseCode.TryAgainLater), { timeoutMs: 20_000, what: 'the clients told to reconnect' });
    expect(contentString(two.doc)).not.toContain('Unstored.');
  } finally {
    await postgres().thaw();
  }
  await waitFor(() => [one, two].every((c) => c.provider.wsconnected && c.provider.synced), { timeoutMs: 30_000, what: 'both sessions back' });
  await waitFor(() => contentString(two.doc).includes('Seen. Unstored. '), { timeoutMs: 30_000, what: 'the unstored edit arrives after all' });
  await waitFor(async () => (await storedContent(postgres().url, id)).includes('Seen. Unstored. '), { timeoutMs: 20_000, intervalMs: 200, what: 'stored' });
  expect(closes.filter(isFinalCloseCode)).toEqual([]);
}, 120_000);
