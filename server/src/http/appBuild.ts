import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { APP_BUILD_HEADER } from '#shared/appBuild';

/**
 * The build of the app this server serves: the path of its entry script (`/assets/index-<hash>.js`,
 * as index.html names it), read from the build's manifest; undefined without a built client.
 */
export function readAppBuild(staticDir: string | undefined): string | undefined {
  if (staticDir === undefined) return undefined;
  try {
    const manifest = JSON.parse(readFileSync(join(staticDir, 'asset-manifest.json'), 'utf8')) as Record<string, { file?: unknown }>;
    const entry = manifest['index.html']?.file;
    return typeof entry === 'string' ? `/${entry}` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Names the build on every answer, so a page still running an older one (open since before a
 * deploy) learns it at its next request: it reads who the person is each time its connection opens
 * again, as it does after the restart a deploy makes. Websockets are left as they are: stock clients
 * and other programs see no change.
 */
export function registerAppBuildHeader(app: FastifyInstance, build: string | undefined): void {
  if (build === undefined) return;
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header(APP_BUILD_HEADER, build);
    return payload;
  });
}
