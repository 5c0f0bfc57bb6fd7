import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { ErrorCode, type ErrorBody } from '#shared/errors';

/**
 * Fastify's and Node's own refusals in the API's error shape `{ error, code }`: they answer
 * before any route (an address that does not decode, a part of it too long for the router, a
 * request Node cannot parse), so the error handler never sees them.
 */

/** A broken percent-escape, or a part of the address over the router's length. */
export function frameworkErrors(error: { code?: string }, _request: FastifyRequest, reply: FastifyReply): void {
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') {
    void reply.code(414).send({ error: 'a part of the address is too long', code: ErrorCode.BadRequest } satisfies ErrorBody);
    return;
  }
  void reply.code(400).send({ error: 'the address does not decode: a broken percent-escape or character', code: ErrorCode.BadRequest } satisfies ErrorBody);
}

/** What a request Node could not parse gets (headers too large, a malformed request line), then the connection closes. */
export const clientErrorHandler: NonNullable<FastifyServerOptions['clientErrorHandler']> = function (err: Error & { code?: string }, socket: Socket) {
  // A reset connection, or one already gone: nobody to answer.
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, error] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'the request headers are too large']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'the request took too long to arrive']
        : [400, 'the request could not be read'];
  const body = JSON.stringify({ error, code: ErrorCode.BadRequest } satisfies ErrorBody);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(err);
};
