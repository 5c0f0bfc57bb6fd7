import type { FastifyServerOptions } from 'fastify';

/** The query string may carry a token (`/collab/<room>?token=…`): it never reaches a log line. */
export function redactQuery(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const at = url.indexOf('?');
  return at < 0 ? url : `${url.slice(0, at)}?[redacted]`;
}

/** pino through Fastify, with request lines that keep tokens out (Authorization is never logged by default). */
export function loggerOptions(level: string, stream?: NodeJS.WritableStream): FastifyServerOptions['logger'] {
  return {
    level,
    ...(stream ? { stream } : {}),
    serializers: {
      req(request) {
        return {
          method: request.method,
          url: redactQuery(request.url),
          host: request.host,
          remoteAddress: request.ip,
          remotePort: request.socket?.remotePort,
        };
      },
    },
  };
}
