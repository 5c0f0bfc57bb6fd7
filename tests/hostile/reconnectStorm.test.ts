import { describe, expect, it } from 'vitest';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { contentString, synced } from '../support/clients';
import { useHarness } from '../support/harness';
import { createAgreement, type TestServer } from '../support/server';
import { buildApp } from '../../server/src/app';
import { waitFor } from '../support/poll';
import { parseRoom } from '#shared/rooms';
import { CloseCode } from '#shared/protocol';

const DOCUMENTS = 20;
const CLIENTS_PER_DOCUMENT = 10;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

/** Its 200 clients all come from 127.0.0.1, over the connections one address may hold by default. */
const STORM = { maxConnectionsPerAddress: 0 };

const h = useHarness();
/** Rooms the restarted server loaded, in order. */
const loads: string[] = [];

/** Restarts the server in this process on the same port and data, as a deploy would. */
async function restart(old: TestServer): Promise<TestServer> {
  const port = Number(new URL(old.http).port);
  await old.close();
  const app = await buildApp({ logLevel: false, authSecret: 'test-secret-test-secret-test-secret', dataDir: old.dataDir, ...STORM });
  // Every room it loads, in order: a reconnect storm must load each once.
  app.ctx.rooms.use({ afterLoad: (room) => loads.push(room.name) });
  await app.listen({ port, host: '127.0.0.1' });
  h.defer(() => app.close());
  return { ...old, app, close: () => app.close() };
}

describe('reconnect storm', () => {
  it(`${DOCUMENTS * CLIENTS_PER_DOCUMENT} clients on ${DOCUMENTS} documents reconnect after a restart, converge, load each document once, and memory comes back`, async () => {
    const first = await h.start(STORM);
    const agreements = await Promise.all(Array.from({ length: DOCUMENTS }, () => createAgreement(first)));
    const heapBefore = heapAfterGc();

    // The stock y-websocket provider adds a process 'exit' listener per provider in Node: 200 are expected here, not a leak.
    const maxListeners = process.getMaxListeners();
    process.setMaxListeners(maxListeners + DOCUMENTS * CLIENTS_PER_DOCUMENT);
    h.defer(() => {
      process.setMaxListeners(maxListeners);
    });
    const rooms = agreements.map((f) => Array.from({ length: CLIENTS_PER_DOCUMENT }, () => h.connect(first, f.agreement.id, f.brokerToken)));
    const clients = rooms.flat();
    await Promise.all(clients.map((c) => synced(c, 20_000)));
    rooms.forEach((group, d) => group.forEach((c, i) => c.text.insert(0, `<d${d}c${i}>`)));

    // Every close a client sees from here on: the restart's, then each failed attempt while the server is away.
    const closes = clients.map((c) => {
      const codes: number[] = [];
      c.provider.on('connection-close', (event: CloseEvent | null) => codes.push(event?.code ?? -1));
      return codes;
    });
    const s = await restart(first);
    await waitFor(() => clients.every((c) => c.provider.wsconnected && c.provider.synced), { timeoutMs: 20_000, what: 'every client back' });
    // Edits made after the restart, on top of those made before it, reach everyone.
    rooms.forEach((group, d) => group.forEach((c, i) => c.text.insert(0, `<after-d${d}c${i}>`)));
    await waitFor(
      () =>
        rooms.every((group, d) => {
          const text = contentString(group[0].doc);
          return group.every((c, i) => contentString(c.doc) === text && text.includes(`<d${d}c${i}>`) && text.includes(`<after-d${d}c${i}>`));
        }),
      { timeoutMs: 20_000, what: 'every document converged' },
    );
    // Told the server was going away (1001), then bounded retries: the backoff doubles per failed attempt.
    expect(closes.every((codes) => codes[0] === CloseCode.GoingAway)).toBe(true);
    expect(Math.max(...closes.map((codes) => codes.length))).toBeLessThanOrEqual(10);
    expect(s.app.ctx.rooms.openRoomNames().filter((name) => parseRoom(name)?.kind === 'content')).toHaveLength(DOCUMENTS);
    for (const f of agreements) expect(loads.filter((name) => name === f.agreement.id)).toHaveLength(1);
    const heapPeak = heapAfterGc();

    h.destroyClients();
    clients.length = 0;
    rooms.length = 0;
    await waitFor(() => s.app.ctx.rooms.openRooms === 0, { timeoutMs: 10_000, what: 'every room unloaded' });
    // The clients lived in this process too (their sockets close asynchronously); what
    // matters is that the rooms and connections let go.
    const grown = () => heapAfterGc() - heapBefore;
    await waitFor(() => grown() < (heapPeak - heapBefore) / 2, {
      timeoutMs: 10_000,
      intervalMs: 200,
      what: `heap back down (peak +${heapPeak - heapBefore} bytes)`,
    });
  }, 60_000);
});
