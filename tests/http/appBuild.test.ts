import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { assertBuilt, DIST } from '../e2e/browser';
import { useHarness } from '../support/harness';
import { nextBuild } from '../support/nextBuild';
import { createAgreement } from '../support/server';
import { synced } from '../support/clients';
import { contentRoom } from '#shared/rooms';

// A page open since before a deploy runs the old build: the server names the build it serves on
// every answer, so the page can tell the person to reload (client/src/appUpdate.ts).
const h = useHarness();

/** The entry script index.html names in `dist`: the build. */
const entryOf = (dist: string) => /<script type="module"[^>]* src="([^"]+)"/.exec(readFileSync(join(dist, 'index.html'), 'utf8'))?.[1];

it('names the build it serves on API answers and on the page, another after a deploy, none without a built client', async () => {
  assertBuilt();
  const dataDir = await h.tempDir();
  const first = await h.start({ staticDir: DIST, dataDir });
  const build = entryOf(DIST);
  expect(build).toMatch(/^\/assets\/index-.+\.js$/);
  for (const path of ['/api/health', '/a/some-agreement', '/api/agreements/unknown']) {
    expect((await fetch(`${first.http}${path}`)).headers.get('x-common-ground-build'), path).toBe(build);
  }
  // A stock client syncs as before: the websocket carries no build.
  const fx = await createAgreement(first);
  const writer = h.connect(first, contentRoom(fx.agreement.id), fx.brokerToken);
  await synced(writer);
  await first.close();
  h.destroyClients();

  const next = await h.tempDir('cg-next-build-');
  await nextBuild(DIST, next);
  const second = await h.start({ staticDir: next, dataDir });
  expect((await fetch(`${second.http}/api/health`)).headers.get('x-common-ground-build')).toBe(entryOf(next));
  expect(entryOf(next)).not.toBe(build);
  const reader = h.connect(second, contentRoom(fx.agreement.id), fx.brokerToken);
  await synced(reader);

  const bare = await h.start();
  expect((await fetch(`${bare.http}/api/health`)).headers.get('x-common-ground-build')).toBeNull();
});
