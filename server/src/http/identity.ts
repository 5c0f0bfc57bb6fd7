import type { FastifyRequest } from 'fastify';
import type { AccessDenial } from '#shared/access';
import type { Identity } from '#shared/protocol';
import type { AccessService } from '../access/AccessService';
import { forbidden, notFound, unauthorized } from './errors';

const DENIAL_MESSAGES: Record<AccessDenial, string> = {
  invalid: 'a valid token is required',
  expired: 'this link has expired: ask the broker for a new one',
  revoked: 'your access to this agreement has ended: ask the broker for a new link',
};

/** The bearer token of a request, from `Authorization: Bearer …`. */
export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

/**
 * The bearer's identity for this agreement, as the server's records say now: 401 without a
 * valid, unexpired, unrevoked link (with `code` saying which), 403 for another agreement's.
 */
export async function requireIdentity(access: AccessService, request: FastifyRequest, agreementId: string): Promise<Identity> {
  const result = await access.authenticate(bearerToken(request));
  if (!result.ok) {
    if (result.reason === 'unknown-agreement') throw notFound('no such agreement');
    // Expired and revoked links say so (the client shows the access-ended page); a bad token says nothing more.
    throw unauthorized(DENIAL_MESSAGES[result.reason], result.reason === 'invalid' ? undefined : result.reason);
  }
  if (result.identity.agreementId !== agreementId) throw forbidden('this token is for another agreement');
  return result.identity;
}
