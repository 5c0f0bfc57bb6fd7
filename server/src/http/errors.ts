import type { FastifyError, FastifyInstance } from 'fastify';

/** An error meant for the client: its message is the JSON `error` and its status a 4xx. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

export const badRequest = (message: string) => new HttpError(400, message);
export const unauthorized = (message = 'a valid token is required') => new HttpError(401, message);
export const forbidden = (message: string) => new HttpError(403, message);
export const notFound = (message: string) => new HttpError(404, message);
/** A temporary refusal (several instances: the agreement's owner cannot be reached right now). */
export const unavailable = (message: string) => new HttpError(503, message);

/** Every error answers JSON `{ error }`; only our own faults are 500s, and those are logged. */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const status = err.statusCode ?? 500;
    if (status === 503) {
      // Temporary: the client may retry (the agreement is changing owner, or the database restarts).
      request.log.warn({ err }, 'request refused for now');
      return reply.code(503).header('retry-after', '1').send({ error: err.message });
    }
    if (status >= 500) {
      request.log.error({ err }, 'request failed');
      return reply.code(500).send({ error: 'internal error' });
    }
    const message = err.validation ? `invalid request: ${err.message}` : err.message;
    return reply.code(status).send({ error: message });
  });
}
