import type { FastifyInstance, FastifyRequest } from 'fastify';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import { ErrorCode } from '#shared/errors';
import type { Identity } from '#shared/protocol';
import { AppError } from '../errors';
import { SharedRateStore } from './sharedRateStore';
import { addressKey } from './addressKey';

/** Requests a minute each limited kind of request may make before it is answered 429. */
export interface HttpRateLimits {
  /** Agreements created per client address (an IPv6 /64 counting as one: addressKey.ts). */
  createPerMinute: number;
  /** Invitations and re-issued links per agreement (by its brokers; requests without a valid token spend none). */
  invitesPerMinute: number;
  /**
   * Threads, suggestions, replies (to threads and suggestions), edits, threads resolved or reopened, actions
   * marked done and quick wins marked delivered, and a broker's parked points, decisions, actions, calls for
   * stances, caucus breaks and consent rounds opened, per person, counted together: each adds to the records
   * everyone's browser holds, or to the activity archive kept for good.
   */
  commentsPerMinute: number;
  /**
   * Snapshots taken, and what keeps one by itself: restores (the text before it), sessions ended (with their minutes)
   * and phase changes, per person, counted together: each stores the whole text for good.
   */
  snapshotsPerMinute: number;
  /**
   * Stances stated and answers given in consent rounds per person, counted together: a stance may keep a copy of the
   * whole text for "what changed since" (one per distinct text, each party's 50 latest: documents/stanceBases.ts),
   * and an answer rewrites its whole round in the records every browser holds.
   */
  stancesPerMinute: number;
  /**
   * Downloads of exports (a snapshot's, the live text's, a session's minutes) and redlines per person,
   * counted together: each is written to the audit log, kept for good.
   */
  downloadsPerMinute: number;
}

export const DEFAULT_HTTP_RATE_LIMITS: HttpRateLimits = {
  createPerMinute: 30,
  invitesPerMinute: 60,
  commentsPerMinute: 60,
  snapshotsPerMinute: 12,
  stancesPerMinute: 30,
  downloadsPerMinute: 30,
};

type LimitKind = keyof HttpRateLimits;

/** Which routes are limited, and by what: kept here so routes stay free of it. */
const LIMITED_ROUTES: Record<string, LimitKind> = {
  'POST /api/agreements': 'createPerMinute',
  'POST /api/agreements/:id/invites': 'invitesPerMinute',
  'POST /api/agreements/:id/people/:personId/links': 'invitesPerMinute',
  'POST /api/agreements/:id/threads': 'commentsPerMinute',
  'POST /api/agreements/:id/threads/:threadId/comments': 'commentsPerMinute',
  'PATCH /api/agreements/:id/threads/:threadId/comments/:commentId': 'commentsPerMinute',
  'POST /api/agreements/:id/threads/:threadId/resolve': 'commentsPerMinute',
  'POST /api/agreements/:id/threads/:threadId/reopen': 'commentsPerMinute',
  'POST /api/agreements/:id/objectives/:objectiveId/call-for-stances': 'commentsPerMinute',
  'PUT /api/agreements/:id/objectives/:objectiveId/delivered': 'commentsPerMinute',
  'POST /api/agreements/:id/suggestions': 'commentsPerMinute',
  'POST /api/agreements/:id/suggestions/:suggestionId/comments': 'commentsPerMinute',
  'POST /api/agreements/:id/parked': 'commentsPerMinute',
  'POST /api/agreements/:id/sessions/:sessionId/decisions': 'commentsPerMinute',
  'POST /api/agreements/:id/sessions/:sessionId/actions': 'commentsPerMinute',
  'PUT /api/agreements/:id/sessions/:sessionId/actions/:actionId/done': 'commentsPerMinute',
  'POST /api/agreements/:id/sessions/:sessionId/caucus': 'commentsPerMinute',
  'POST /api/agreements/:id/sessions/:sessionId/rounds': 'commentsPerMinute',
  'POST /api/agreements/:id/snapshots': 'snapshotsPerMinute',
  'POST /api/agreements/:id/snapshots/:snapshotId/restore': 'snapshotsPerMinute',
  'POST /api/agreements/:id/sessions/:sessionId/end': 'snapshotsPerMinute',
  'POST /api/agreements/:id/phase': 'snapshotsPerMinute',
  'PUT /api/agreements/:id/objectives/:objectiveId/stance': 'stancesPerMinute',
  'POST /api/agreements/:id/sessions/:sessionId/rounds/:roundId/answers': 'stancesPerMinute',
  'GET /api/agreements/:id/snapshots/:snapshotId/export': 'downloadsPerMinute',
  'GET /api/agreements/:id/sessions/:sessionId/minutes/export': 'downloadsPerMinute',
  'GET /api/agreements/:id/redline': 'downloadsPerMinute',
};

/**
 * What each limit counts by. Keys start with the limit's name: routes with the same limit share a count.
 * All but the creation of agreements are counted once the agreement scope has checked the token
 * (`request.me`, see {@link COUNTED_AFTER}): by the person, whichever of their links and however the
 * header is written, and nothing without a valid token spends anyone's budget.
 */
const KEYS: Record<LimitKind, (request: FastifyRequest) => string> = {
  createPerMinute: (request) => `ip:${addressKey(request.ip)}`,
  invitesPerMinute: (request) => `agreement:${checked(request).agreementId}`,
  commentsPerMinute: (request) => byPerson(request),
  snapshotsPerMinute: (request) => byPerson(request),
  stancesPerMinute: (request) => byPerson(request),
  downloadsPerMinute: (request) => byPerson(request),
};

/**
 * The request hook each limit counts in: after the agreement scope's own `preHandler` (a route's
 * hooks run after its instance's), so the bearer is known; agreements are created without a token.
 */
const COUNTED_AFTER: Record<LimitKind, 'onRequest' | 'preHandler'> = {
  createPerMinute: 'onRequest',
  invitesPerMinute: 'preHandler',
  commentsPerMinute: 'preHandler',
  snapshotsPerMinute: 'preHandler',
  stancesPerMinute: 'preHandler',
  downloadsPerMinute: 'preHandler',
};

function checked(request: FastifyRequest): Identity {
  // A limited route outside the agreement scope is a wiring mistake: fail loudly, never share a key.
  if (!request.me) throw new Error(`${request.method} ${request.routeOptions.url}: a per-person limit on a route without the agreement scope`);
  return request.me;
}

const byPerson = (request: FastifyRequest) => `person:${checked(request).personId}`;

/**
 * Security headers on every answer (a CSP the built app runs under with no inline script,
 * no framing, no referrer), `Cache-Control: no-store` on the API and its exports, and
 * rate limits on the requests that create things. Register before any route.
 */
export async function registerSecurity(app: FastifyInstance, limits: HttpRateLimits): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Tiptap and the caret extension set style attributes; styles cannot run code.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'"],
        manifestSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });

  app.addHook('onSend', async (request, reply, payload) => {
    // API answers are personal and exports are signed-off text: no cache keeps them.
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
    return payload;
  });

  // Before the plugin's own onRoute hook, which reads `config.rateLimit`.
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const kind = methods.map((m) => LIMITED_ROUTES[`${m} ${route.url}`]).find(Boolean);
    // 0 lifts the limit (a load test creating a thousand agreements from one address).
    if (!kind || limits[kind] === 0) return;
    const keyGenerator = (request: FastifyRequest) => `${kind}|${KEYS[kind](request)}`;
    route.config = { ...route.config, rateLimit: { max: limits[kind], timeWindow: 60_000, keyGenerator, hook: COUNTED_AFTER[kind] } };
  });
  await app.register(rateLimit, {
    global: false,
    store: SharedRateStore,
    errorResponseBuilder: (_request, context) =>
      new AppError(429, ErrorCode.RateLimited, `too many requests: try again in ${Math.max(1, Math.ceil(context.ttl / 1000))} s`),
  });
}
