import { DEFAULT_RATE_LIMIT, type RateLimit } from './ws/rateLimit';
import type { UpdateLimits } from './rooms/guards/limits';
import { DEFAULT_HTTP_RATE_LIMITS, type HttpRateLimits } from './http/security';
import type { SnapshotCaps } from './features/snapshots/quota';
import { readTrustedProxies, type TrustedProxies } from './http/trustedProxy';

/** Everything the server can be told; `readConfig` maps the environment onto it. */
export interface AppConfig {
  /** Where agreements, room logs, snapshots and the generated secret live. */
  dataDir: string;
  /** Built client to serve (dist/); omitted in API-only tests. */
  staticDir?: string;
  /** Token signing secret; generated and kept in dataDir when absent. */
  authSecret?: string;
  /** Largest websocket frame accepted; bigger ones close the connection with 1009. */
  maxMessageBytes?: number;
  /** Operators only: `/api/health` also says how many agreements are open (it answers anyone, so off by default). */
  healthRoomCount?: boolean;
  /** pino level, or false to silence logging. */
  logLevel?: string | false;
  /** Where log lines go (default stdout); tests capture them here. */
  logStream?: NodeJS.WritableStream;
  /** How often sockets are pinged; one that misses a ping is dropped. */
  heartbeatMs?: number;
  /** Longest time an update stays in memory before it is written. */
  flushIntervalMs?: number;
  /** Per-connection message and byte rate; a connection over it is closed with 1013 and its person briefly refused in that room. */
  rateLimit?: RateLimit;
  /** Unsent output over which a connection is closed with 1013 (default 32 MiB). */
  outputBufferBytes?: number;
  /** Websockets one person may hold open at once, all rooms of the agreement together (default 12: four tabs); more are refused with 4129, which the client retries after. */
  maxConnectionsPerPerson?: number;
  /** TCP connections the server holds open at once, from every address together (default: three quarters of the process's open-file limit, half with a database shared: serverConnections.ts); more are closed as they open. 0 lifts it. */
  maxConnections?: number;
  /** TCP connections one remote address may hold open at once, requests and websockets together (default 128, none with a database shared by several instances: connectionsPerAddress.ts); more are closed as they open. 0 lifts it (behind a reverse proxy, whose one address every client shares). */
  maxConnectionsPerAddress?: number;
  /**
   * The reverse proxies whose `X-Forwarded-For` names each client (http/trustedProxy.ts): then the limits counted per
   * address and the log lines see the client's address, not the proxy's. None by default: the socket's address counts.
   */
  trustProxy?: TrustedProxies;
  /** What one text update and one agreement's text may cost (defaults in rooms/guards/limits.ts). */
  updateLimits?: Partial<UpdateLimits>;
  /** How many snapshots, and how many bytes of them, one agreement keeps (defaults in features/snapshots/quota.ts); a person may take a quarter. */
  snapshotCaps?: Partial<SnapshotCaps>;
  /** Activity entries an agreement's archive keeps (default in features/activity/archive.ts); past it, the busiest writers' oldest go first. */
  maxArchivedActivity?: number;
  /** Presence ids one person keeps bound in one agreement's text (default in features/snapshots/presenceBindings.ts); past it, their oldest are forgotten first. */
  maxPresenceIdsPerPerson?: number;
  /** People one agreement lists, revoked ones included (default 1,000); more invitations are refused with 409. */
  maxPeoplePerAgreement?: number;
  /** Per-minute limits on creating agreements, inviting and commenting (429 over them). */
  httpRateLimits?: HttpRateLimits;
  /** postgres://… : keep everything in PostgreSQL, shared by several instances (lowdb under dataDir otherwise). */
  databaseUrl?: string;
  /** This instance's address for the others to forward to (default: where it listens). */
  instanceUrl?: string;
  /**
   * How long an agreement's text, loaded when a person's page asks for the agreement, is held for them before it is
   * let go if nobody joins it (default RoomManager's LOAD_AHEAD_HOLD_MS, 15 s; 0: not loaded ahead).
   */
  roomLoadAheadMs?: number;
  /** An agreement's lease is given back after this long without a room open here. */
  leaseIdleMs?: number;
  /** A person back on the text within this long of leaving writes no leave or join to the audit log (default 60 s). */
  auditRejoinGraceMs?: number;
  /** PostgreSQL: how long a request waits for an unreachable database before it answers 503 (default 3 s). */
  storageDeadlineMs?: number;
  /**
   * How long one job of a document worker (measuring a big update, a comparison, an export) may
   * take before the worker is replaced and the job refused (default 60 s): a big update's sender is
   * then closed with 4500 and sends it again after reconnecting.
   */
  workerJobTimeoutMs?: number;
  /** How long a client may take to send one whole request, body included, before it is answered 408 (default 120 s). */
  requestTimeoutMs?: number;
  /** How long a stop waits for requests under way before cutting their connections (default 10 s). */
  stopGraceMs?: number;
  /** Tests only: the document workers' code (one that starts and never answers, for a job that never ends). */
  workerScript?: URL;
  /**
   * Tests only: start the worker that loads long texts and measures big updates at its first job, not with the server
   * (most test servers never use it, and the suite starts hundreds). The worker of people's clicks and the background
   * one always start at their first job.
   */
  costWorkerOnDemand?: boolean;
  /**
   * How many milliseconds a minute each person's reads of the live text (a stance, a consent round, the objectives
   * list) may run at the server's own priority before the rest of that minute's run in the background (default 5,000).
   */
  readAllowanceMsPerMinute?: number;
}

import { DEFAULT_MAX_MESSAGE_BYTES } from '#shared/protocol';

export { DEFAULT_MAX_MESSAGE_BYTES };

export interface ListenConfig {
  port: number;
  host: string;
}

export function readConfig(env: NodeJS.ProcessEnv, staticDir: string): AppConfig & ListenConfig {
  return {
    port: integer(env.PORT, 3000, 'PORT'),
    host: env.HOST || '127.0.0.1',
    dataDir: env.DATA_DIR || './data',
    staticDir,
    authSecret: env.AUTH_SECRET || undefined,
    maxMessageBytes: integer(env.MAX_MESSAGE_BYTES, DEFAULT_MAX_MESSAGE_BYTES, 'MAX_MESSAGE_BYTES'),
    healthRoomCount: env.HEALTH_ROOM_COUNT === '1',
    logLevel: env.LOG_LEVEL || 'info',
    flushIntervalMs: integer(env.FLUSH_INTERVAL_MS, 20, 'FLUSH_INTERVAL_MS'),
    outputBufferBytes: env.OUTPUT_BUFFER_BYTES ? integer(env.OUTPUT_BUFFER_BYTES, 0, 'OUTPUT_BUFFER_BYTES') : undefined,
    maxConnectionsPerPerson: env.MAX_CONNECTIONS_PER_PERSON ? integer(env.MAX_CONNECTIONS_PER_PERSON, 0, 'MAX_CONNECTIONS_PER_PERSON') : undefined,
    maxConnections: env.MAX_CONNECTIONS ? integer(env.MAX_CONNECTIONS, 0, 'MAX_CONNECTIONS') : undefined,
    maxConnectionsPerAddress: env.MAX_CONNECTIONS_PER_ADDRESS ? integer(env.MAX_CONNECTIONS_PER_ADDRESS, 0, 'MAX_CONNECTIONS_PER_ADDRESS') : undefined,
    trustProxy: readTrustedProxies(env.TRUST_PROXY),
    readAllowanceMsPerMinute: env.READ_ALLOWANCE_MS_PER_MINUTE ? integer(env.READ_ALLOWANCE_MS_PER_MINUTE, 0, 'READ_ALLOWANCE_MS_PER_MINUTE') : undefined,
    ...(env.MAX_TEXT_ITEMS ? { updateLimits: { maxDocumentItems: integer(env.MAX_TEXT_ITEMS, 0, 'MAX_TEXT_ITEMS') } } : {}),
    snapshotCaps: {
      ...(env.MAX_SNAPSHOTS ? { maxSnapshots: integer(env.MAX_SNAPSHOTS, 0, 'MAX_SNAPSHOTS') } : {}),
      ...(env.MAX_SNAPSHOT_BYTES ? { maxBytes: integer(env.MAX_SNAPSHOT_BYTES, 0, 'MAX_SNAPSHOT_BYTES') } : {}),
    },
    maxPeoplePerAgreement: env.MAX_PEOPLE ? integer(env.MAX_PEOPLE, 1, 'MAX_PEOPLE') : undefined,
    maxArchivedActivity: env.MAX_ARCHIVED_ACTIVITY ? integer(env.MAX_ARCHIVED_ACTIVITY, 0, 'MAX_ARCHIVED_ACTIVITY') : undefined,
    databaseUrl: env.DATABASE_URL || undefined,
    instanceUrl: env.INSTANCE_URL || undefined,
    leaseIdleMs: integer(env.LEASE_IDLE_MS, 30_000, 'LEASE_IDLE_MS'),
    requestTimeoutMs: env.REQUEST_TIMEOUT_MS ? integer(env.REQUEST_TIMEOUT_MS, 1, 'REQUEST_TIMEOUT_MS') : undefined,
    stopGraceMs: env.STOP_GRACE_MS ? integer(env.STOP_GRACE_MS, 0, 'STOP_GRACE_MS') : undefined,
    storageDeadlineMs: env.STORAGE_DEADLINE_MS ? integer(env.STORAGE_DEADLINE_MS, 0, 'STORAGE_DEADLINE_MS') : undefined,
    httpRateLimits: {
      ...DEFAULT_HTTP_RATE_LIMITS,
      createPerMinute: integer(env.RATE_LIMIT_CREATES_PER_MINUTE, DEFAULT_HTTP_RATE_LIMITS.createPerMinute, 'RATE_LIMIT_CREATES_PER_MINUTE'),
      downloadsPerMinute: integer(env.RATE_LIMIT_DOWNLOADS_PER_MINUTE, DEFAULT_HTTP_RATE_LIMITS.downloadsPerMinute, 'RATE_LIMIT_DOWNLOADS_PER_MINUTE'),
    },
    rateLimit: {
      messagesPerSecond: integer(env.RATE_LIMIT_MESSAGES, DEFAULT_RATE_LIMIT.messagesPerSecond, 'RATE_LIMIT_MESSAGES'),
      bytesPerSecond: integer(env.RATE_LIMIT_BYTES, DEFAULT_RATE_LIMIT.bytesPerSecond, 'RATE_LIMIT_BYTES'),
      burstSeconds: DEFAULT_RATE_LIMIT.burstSeconds,
    },
  };
}

function integer(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}
