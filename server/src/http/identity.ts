import type { FastifyRequest } from 'fastify';
import type { Identity } from '#shared/protocol';
import type { TokenService } from '../auth/tokens';
import { ErrorCode } from '#shared/errors';
import { forbidden, unauthorized } from '../errors';

/** The bearer's identity for this agreement: 401 without a valid token, 403 for another agreement's. */
export async function requireIdentity(tokens: TokenService, request: FastifyRequest, agreementId: string): Promise<Identity> {
  const header = request.headers.authorization;
  const token = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
  const identity = await tokens.verify(token);
  if (!identity) throw unauthorized();
  if (identity.agreementId !== agreementId) throw forbidden(ErrorCode.WrongAgreement, 'this token is for another agreement');
  return identity;
}
