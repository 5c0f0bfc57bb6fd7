import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { ErrorCode } from '#shared/errors';

/** Hashed build output: a file's name changes with its content, so it may be kept for good. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** The page and the service worker must be checked each time, or a new build never reaches anyone. */
const REVALIDATE = 'no-cache';

/** Cache policy of one built file (its path on disk). */
export function cacheControlFor(path: string): string {
  return basename(dirname(path)) === 'assets' ? IMMUTABLE : REVALIDATE;
}

/**
 * Serves the built client. Browser routes (/, /a/<id>) get index.html so links open
 * the app; unknown API paths still answer a JSON 404. Files are served from their brotli or
 * gzip copies made at build time when the browser accepts one; source maps are not served.
 */
export async function registerStatic(app: FastifyInstance, staticDir: string | undefined): Promise<void> {
  const hasClient = staticDir !== undefined && existsSync(join(staticDir, 'index.html'));
  if (hasClient) {
    await app.register(fastifyStatic, {
      root: staticDir,
      wildcard: false,
      index: 'index.html',
      preCompressed: true,
      cacheControl: false,
      allowedPath: (path) => !path.endsWith('.map'),
      setHeaders: (reply, path) => {
        reply.header('cache-control', cacheControlFor(path));
      },
    });
  }
  app.setNotFoundHandler((request, reply) => {
    const isApi = request.url.startsWith('/api/') || request.url.startsWith('/collab/');
    // A missing built file (a source map, a chunk of an older build) is a 404, not the page.
    const isAsset = request.url.startsWith('/assets/');
    if (hasClient && request.method === 'GET' && !isApi && !isAsset) return reply.type('text/html').sendFile('index.html');
    return reply.code(404).send({ error: `no route for ${request.method} ${request.url.split('?')[0]}`, code: ErrorCode.RouteNotFound });
  });
}
