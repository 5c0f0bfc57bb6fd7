import type { FastifyError, FastifyInstance } from 'fastify';

/** An error meant for the client: its message is the JSON `error` and its status a 4xx. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    /** A machine-readable reason sent beside `error` (e.g. 'expired', 'revoked'). */
    readonly code?: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new HttpError(400, message);
export const unauthorized = (message = 'a valid token is required', code?: string) => new HttpError(401, message, code);
export const forbidden = (message: string) => new HttpError(403, message);
export const notFound = (message: string) => new HttpError(404, message);

/** Every error answers JSON `{ error }`; only our own faults are 500s, and those are logged. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const status = err.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err }, 'request failed');
      return reply.code(500).send({ error: 'internal error' });
    }
    const message = err.validation ? `invalid request: ${unsafeTextMessage(err) ?? err.message}` : err.message;
    return reply.code(status).send({ error: message, ...(err instanceof HttpError && err.code ? { code: err.code } : {}) });
  });
}

/** Says in words what a failed safe-line / safe-text format check (see #shared/text) found. */
function unsafeTextMessage(err: FastifyError): string | undefined {
  const failed = err.validation?.find((v) => v.keyword === 'format' && String(v.params?.format).startsWith('safe-'));
  if (!failed) return undefined;
  const field = `${err.validationContext ?? 'body'}${failed.instancePath}`;
  return `${field} holds a control character, a bidirectional override or a broken character (lone surrogate)`;
}
