import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { ErrorCode } from '#shared/errors';

/**
 * Serves the built client. Browser routes (/, /a/<id>) get index.html so links open
 * the app; unknown API paths still answer a JSON 404.
 */
export async function registerStatic(app: FastifyInstance, staticDir: string | undefined): Promise<void> {
  const hasClient = staticDir !== undefined && existsSync(join(staticDir, 'index.html'));
  if (hasClient) {
    await app.register(fastifyStatic, { root: staticDir, wildcard: false, index: 'index.html' });
  }
  app.setNotFoundHandler((request, reply) => {
    const isApi = request.url.startsWith('/api/') || request.url.startsWith('/collab/');
    if (hasClient && request.method === 'GET' && !isApi) return reply.type('text/html').sendFile('index.html');
    return reply.code(404).send({ error: `no route for ${request.method} ${request.url.split('?')[0]}`, code: ErrorCode.RouteNotFound });
  });
}
