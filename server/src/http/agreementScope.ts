import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { ErrorCode } from '#shared/errors';
import { PERMISSIONS, can, type Action } from '#shared/permissions';
import type { Identity } from '#shared/protocol';
import type { AccessService } from '../auth/AccessService';
import { AppError, forbidden, notFound, unauthorized } from '../errors';
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
  access: AccessService;
}

/** The bearer token of a request, from `Authorization: Bearer …`. */
function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

/**
 * The bearer and the agreement, as the server's records say now: 401 without a valid link
 * (`link_expired` and `access_revoked` say why, so the app can show the access-ended page),
 * 404 for an unknown agreement, 403 for a token of another agreement.
 */
async function identify(access: AccessService, request: FastifyRequest, agreementId: string): Promise<{ me: Identity; agreement: AgreementRecord }> {
  const result = await access.authenticate(bearerToken(request));
  if (!result.ok) {
    switch (result.reason) {
      case 'unknown-agreement':
        throw notFound(ErrorCode.AgreementNotFound, 'no such agreement');
      case 'expired':
        throw new AppError(401, ErrorCode.LinkExpired, 'this link has expired: ask the broker for a new one');
      case 'revoked':
        throw new AppError(401, ErrorCode.AccessRevoked, 'your access to this agreement has ended: ask the broker for a new link');
      case 'invalid':
        throw unauthorized();
    }
  }
  if (result.identity.agreementId !== agreementId) throw forbidden(ErrorCode.WrongAgreement, 'this token is for another agreement');
  return { me: result.identity, agreement: result.agreement };
}

/**
 * What every route under `/api/agreements/:id` needs, done once: after the request has
 * passed its schema, the token is checked (401, 403 for another agreement's), the
 * agreement loaded (404) and the route's `config.may` checked against the permission
 * table (403); the handler finds `request.me` and `request.agreement`. Wrapped with
 * fastify-plugin so its hooks cover the feature plugins registered beside it.
 */
export const agreementScope = fp<AgreementScopeOptions>(
  async (scope, { access }) => {
    scope.decorateRequest('me', null as unknown as Identity);
    scope.decorateRequest('agreement', null as unknown as AgreementRecord);
    scope.addHook('onRoute', (route) => {
      if (!route.config?.may) throw new Error(`${String(route.method)} ${route.url}: an agreement-scope route says who may call it (config.may)`);
    });
    scope.addHook('preHandler', async (request) => {
      const { id } = request.params as { id: string };
      const { me, agreement } = await identify(access, request, id);
      const action = request.routeOptions.config.may as Action;
      if (!can(me.role, action)) throw forbidden(ErrorCode.Forbidden, PERMISSIONS[action].denied);
      request.me = me;
      request.agreement = agreement;
    });
  },
  { name: 'agreement-scope' },
);
