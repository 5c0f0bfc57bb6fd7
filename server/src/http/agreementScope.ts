import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ErrorCode } from '#shared/errors';
import { PERMISSIONS, can, type Action } from '#shared/permissions';
import type { Identity } from '#shared/protocol';
import type { TokenService } from '../auth/tokens';
import { forbidden, unauthorized } from '../errors';
import type { AgreementService } from '../features/agreements/service';
import type { AgreementRecord } from '../storage/port';

declare module 'fastify' {
  interface FastifyRequest {
    /** The token's bearer, checked by the agreement scope (routes under /api/agreements/:id only). */
    me: Identity;
    /** The agreement of the path, loaded by the agreement scope (routes under /api/agreements/:id only). */
    agreement: AgreementRecord;
  }
  interface FastifyContextConfig {
    /** Who may call an agreement-scope route: an action of the permission table (shared/src/permissions.ts). */
    may?: Action;
  }
}

export interface AgreementScopeOptions {
  tokens: TokenService;
  agreements: AgreementService;
}

/** The bearer's identity for this agreement: 401 without a valid token, 403 for another agreement's. */
async function identify(tokens: TokenService, request: FastifyRequest, agreementId: string): Promise<Identity> {
  const header = request.headers.authorization;
  const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  const identity = await tokens.verify(token);
  if (!identity) throw unauthorized();
  if (identity.agreementId !== agreementId) throw forbidden(ErrorCode.WrongAgreement, 'this token is for another agreement');
  return identity;
}

/**
 * What every route under `/api/agreements/:id` needs, done once: after the request has
 * passed its schema, the token is checked (401, 403 for another agreement's), the
 * agreement loaded (404) and the route's `config.may` checked against the permission
 * table (403); the handler finds `request.me` and `request.agreement`. Wrapped with
 * fastify-plugin so its hooks cover the feature plugins registered beside it.
 */
export const agreementScope = fp<AgreementScopeOptions>(
  async (scope, { tokens, agreements }) => {
    scope.decorateRequest('me', null as unknown as Identity);
    scope.decorateRequest('agreement', null as unknown as AgreementRecord);
    scope.addHook('onRoute', (route) => {
      if (!route.config?.may) throw new Error(`${String(route.method)} ${route.url}: an agreement-scope route says who may call it (config.may)`);
    });
    scope.addHook('preHandler', async (request) => {
      const { id } = request.params as { id: string };
      const me = await identify(tokens, request, id);
      const agreement = await agreements.find(id);
      const action = request.routeOptions.config.may as Action;
      if (!can(me.role, action)) throw forbidden(ErrorCode.Forbidden, PERMISSIONS[action].denied);
      request.me = me;
      request.agreement = agreement;
    });
  },
  { name: 'agreement-scope' },
);
