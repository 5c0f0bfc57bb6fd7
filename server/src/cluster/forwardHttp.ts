import type { FastifyInstance, FastifyRequest } from 'fastify';
import replyFrom from '@fastify/reply-from';
import { isValidId } from '#shared/rooms';
import { ErrorCode } from '#shared/errors';
import { unavailable } from '../errors';
import { StorageUnavailableError } from '../storage/unavailable';
import type { Ownership, Route } from './ownership';

/** Marks a request one instance forwarded to another: the receiver serves it or refuses it, never forwards again. */
export const FORWARDED_HEADER = 'x-common-ground-forwarded';

/**
 * How long a forwarded request may wait for the owner's answer. Not shorter than anything the owner
 * does for one (a document job waits for the jobs before it, each up to a minute): answered "try
 * again" here at 30 s while the owner went on and stored a snapshot, the retry took it twice. It only
 * frees this instance from an owner that went silent without closing the connection.
 */
const FORWARD_IDLE_TIMEOUT_MS = 10 * 60_000;

/** The agreement an API request is about, when it is one of `/api/agreements/:id…`. */
function agreementOf(request: FastifyRequest): string | undefined {
  if (!request.routeOptions.url?.startsWith('/api/agreements/:id')) return undefined;
  const id = (request.params as { id?: unknown }).id;
  return typeof id === 'string' && isValidId(id) ? id : undefined;
}

/** Finds where an agreement is served; not knowing (the database is down) or a second hop is a temporary refusal. */
export async function routeOrRefuse(
  ownership: Ownership,
  agreementId: string,
  forwarded: boolean,
): Promise<{ local: true } | { local: false; ownerUrl: string }> {
  let route: Route;
  try {
    route = await ownership.route(agreementId);
  } catch (err) {
    if (err instanceof StorageUnavailableError) throw err;
    throw unavailable('the agreement cannot be served right now; try again');
  }
  if (route.local) return route;
  if (forwarded || !route.ownerUrl) throw unavailable('the agreement is changing hands; try again');
  return { local: false, ownerUrl: route.ownerUrl };
}

/**
 * With several instances, a request about an agreement this instance does not own is
 * forwarded to the owner, body and all, after parsing and before validation (the owner
 * validates). Its answer, errors included, goes back unchanged.
 */
export async function registerHttpForwarding(app: FastifyInstance, ownership: Ownership): Promise<void> {
  if (!ownership.clustered) return;
  await app.register(replyFrom, { http: { requestOptions: { timeout: FORWARD_IDLE_TIMEOUT_MS } } });
  app.addHook('preValidation', async (request, reply) => {
    const agreementId = agreementOf(request);
    if (!agreementId) return;
    // Held from before routing until the answer is sent (or the client gone): served here, the lease
    // stays until the request is done; forwarded, there is no lease here to keep.
    reply.raw.once('close', ownership.hold(agreementId));
    const route = await routeOrRefuse(ownership, agreementId, request.headers[FORWARDED_HEADER] !== undefined);
    if (route.local) return;
    return reply.from(`${route.ownerUrl}${request.url}`, {
      rewriteRequestHeaders: (_request, headers) => ({ ...headers, [FORWARDED_HEADER]: '1' }),
      onError: (errorReply) => {
        errorReply.code(503).header('retry-after', '1').send({ error: 'the agreement owner cannot be reached; try again', code: ErrorCode.Unavailable });
      },
    });
  });
}
