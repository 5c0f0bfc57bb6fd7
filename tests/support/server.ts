import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/src/app';
import { bundledWorker } from './bundles';
import type { AppConfig } from '../../server/src/config';
import type { Storage } from '../../server/src/storage/port';
import type { CreateAgreementResponse, InviteRequest, InviteResponse } from '#shared/protocol';
import { waitFor } from './poll';

export interface TestServer {
  app: FastifyInstance;
  /** http://127.0.0.1:<port> */
  http: string;
  /** ws://127.0.0.1:<port>/collab */
  ws: string;
  dataDir: string;
  close(): Promise<void>;
}

export async function tempDir(prefix = 'cg-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

/** Starts the real server on 127.0.0.1, port 0, with its data in `dataDir` (a new temp dir by default), or in `storage` when given. */
export async function startServer(config: Partial<AppConfig> = {}, storage?: Storage): Promise<TestServer> {
  const dataDir = config.dataDir ?? (await tempDir());
  // The document worker bundled: it starts on a fifth of the CPU of tsx loading its modules (bundles.ts);
  // its own start from source is tested in tests/snapshots/documentWorker.test.ts.
  const workerScript = await bundledWorker();
  const app = await buildApp(
    { logLevel: false, authSecret: 'test-secret-test-secret-test-secret', workerScript, costWorkerOnDemand: true, ...config, dataDir },
    storage,
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('server has no port');
  const base = `127.0.0.1:${address.port}`;
  // Closing twice (a test that restarts a server, then the harness) closes once.
  let closing: Promise<void> | undefined;
  return {
    app,
    http: `http://${base}`,
    ws: `ws://${base}/collab`,
    dataDir,
    close: () => (closing ??= app.close()),
  };
}

/** A server a test stops and starts again on the same port and data folder: a restart, a restore from a backup. */
export interface StoppableServer {
  readonly http: string;
  /** Closes it (once, however often asked): its connections drop and pages reconnect when it is back. */
  stop(): Promise<void>;
  /** Starts it again from its data folder, on the same port; `changes` (a new build's `staticDir`, say) last from then on. */
  start(changes?: Partial<AppConfig>): Promise<void>;
}

export async function stoppableServer(config: Partial<AppConfig> & { dataDir: string }): Promise<StoppableServer> {
  let app = await buildApp({ logLevel: false, costWorkerOnDemand: true, ...config });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('server has no port');
  let closing: Promise<void> | undefined;
  return {
    http: `http://127.0.0.1:${address.port}`,
    stop: () => (closing ??= app.close()),
    async start(changes = {}) {
      config = { ...config, ...changes };
      app = await buildApp({ logLevel: false, costWorkerOnDemand: true, ...config });
      closing = undefined;
      await app.listen({ port: address.port, host: '127.0.0.1' });
    },
  };
}

export async function removeDir(dir: string): Promise<void> {
  // Retries ENOTEMPTY: under heavy load a test's last write can land while the folder is being
  // removed (seen on stances.test's teardown; the write after close is noted as open work).
  await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
}

export async function api<T = unknown>(
  server: { http: string },
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${server.http}${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  // A 204 has no body.
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/**
 * Waits until the server's list of the agreement's objectives holds `count`, as `token` reads it: the text written
 * through a client has reached the server. The list is read in a document worker (at the lowest priority it took over
 * 10 s in CI, on a machine the suite keeps busy; it runs at the server's own now, within a person's allowance, in a
 * worker test servers start at its first job), so the wait is long; it ends as soon as the list is there.
 */
export async function objectivesOnServer(server: { http: string }, agreementId: string, token: string, count: number): Promise<void> {
  const listed = async () =>
    (await api<{ objectives?: unknown[] }>(server, 'GET', `/api/agreements/${agreementId}/objectives`, undefined, token)).body.objectives;
  await waitFor(async () => (await listed())?.length === count, { timeoutMs: 30_000, what: `${count} objectives on the server` });
}

export interface AgreementFixture {
  agreement: CreateAgreementResponse;
  brokerToken: string;
  ngoId: string;
  businessId: string;
  invite(request: InviteRequest): Promise<string>;
}

/** The River Restoration Partnership: an NGO and a business, with its broker. */
export async function createAgreement(server: { http: string }): Promise<AgreementFixture> {
  const { status, body } = await api<CreateAgreementResponse>(server, 'POST', '/api/agreements', {
    title: 'River Restoration Partnership',
    parties: [
      { name: 'WaterAid Kenya', sector: 'ngo' },
      { name: 'Acme Beverages', sector: 'business' },
    ],
    creatorName: 'Brook Broker',
  });
  if (status !== 201) throw new Error(`create failed: ${status} ${JSON.stringify(body)}`);
  return {
    agreement: body,
    brokerToken: body.token,
    ngoId: body.parties[0].id,
    businessId: body.parties[1].id,
    async invite(request) {
      const res = await api<InviteResponse>(server, 'POST', `/api/agreements/${body.id}/invites`, request, body.token);
      if (res.status !== 201) throw new Error(`invite failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.token;
    },
  };
}
