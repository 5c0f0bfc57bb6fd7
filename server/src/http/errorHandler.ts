import type { FastifyError, FastifyInstance } from 'fastify';
import { ErrorCode, type ErrorBody } from '#shared/errors';
import { AppError } from '../errors';

/** Codes for Fastify's own refusals, which carry none of ours. */
function codeOf(err: FastifyError, status: number): ErrorCode {
  if (err instanceof AppError) return err.code;
  if (err.validation) return ErrorCode.InvalidRequest;
  if (status === 400) return ErrorCode.BadRequest;
  if (status === 404) return ErrorCode.RouteNotFound;
  return ErrorCode.Refused;
}

/** Every error answers JSON `{ error, code }`; only our own faults are 500s, and those are logged. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const status = err.statusCode ?? 500;
    if (status === 503) {
      // Temporary (several instances: the agreement is changing owner, or the database is away): retry.
      request.log.warn({ err }, 'request refused for now');
      const retryAfter = (err as { retryAfterSeconds?: number }).retryAfterSeconds ?? 1;
      return reply
        .code(503)
        .header('retry-after', String(retryAfter))
        .send({ error: err.message, code: err instanceof AppError ? err.code : ErrorCode.Unavailable } satisfies ErrorBody);
    }
    if (status >= 500) {
      request.log.error({ err }, 'request failed');
      // Ours to explain (a damaged stored record): its message is written for the person. Anything else is a bug.
      if (err instanceof AppError) return reply.code(status).send({ error: err.message, code: err.code } satisfies ErrorBody);
      return reply.code(500).send({ error: 'internal error', code: ErrorCode.Internal } satisfies ErrorBody);
    }
    const message = err.validation ? `invalid request: ${unsafeTextMessage(err) ?? err.message}` : err.message;
    return reply.code(status).send({ error: message, code: codeOf(err, status) } satisfies ErrorBody);
  });
}

/** Says in words what a failed safe-line / safe-text format check (see #shared/text) found. */
function unsafeTextMessage(err: FastifyError): string | undefined {
  const failed = err.validation?.find((v) => v.keyword === 'format' && String(v.params?.format).startsWith('safe-'));
  if (!failed) return undefined;
  return `${err.validationContext ?? 'body'}${failed.instancePath} holds a control character, a bidirectional override or a broken character (lone surrogate)`;
}
