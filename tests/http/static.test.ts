import { readdirSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { assertBuilt, DIST } from '../e2e/browser';
import { useHarness } from '../support/harness';
import type { TestServer } from '../support/server';

/** How the built app is served: compressed, cached for good where its name carries its hash, maps kept private. */
const h = useHarness();
let server: TestServer | undefined;

const asset = (suffix: string) => {
  const name = readdirSync(join(DIST, 'assets')).find((f) => f.startsWith('AgreementPage-') && f.endsWith(suffix));
  if (!name) throw new Error(`no AgreementPage-*${suffix} in dist/assets`);
  return `/assets/${name}`;
};

/** The raw bytes as sent (Node's fetch would decompress them), with the headers. */
function get(path: string, encoding?: string): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(`${server?.http}${path}`, { headers: encoding ? { 'accept-encoding': encoding } : {} }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end();
  });
}

describe('the built app', () => {
  it('is sent brotli- or gzip-compressed as the browser accepts, cached for good under /assets', async () => {
    assertBuilt();
    server = await h.start({ staticDir: DIST });
    const path = asset('.js');
    const plain = await get(path, 'identity');
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');

    const br = await get(path, 'br, gzip');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.body.length).toBeLessThan(plain.body.length / 3);
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);

    const gz = await get(path, 'gzip, deflate');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);
    expect(gz.headers['content-type']).toMatch(/javascript/);
  });

  it('makes the browser revalidate the page and the service worker, and keeps source maps private', async () => {
    assertBuilt();
    server = await h.start({ staticDir: DIST });
    for (const path of ['/', '/a/some-agreement', '/sw.js']) {
      const response = await get(path, 'gzip');
      expect(response.status, path).toBe(200);
      expect(response.headers['cache-control'], path).toBe('no-cache');
    }
    const map = await get(`${asset('.js')}.map`);
    expect(map.status).toBe(404);
    expect(map.body.toString()).not.toContain('sourcesContent');
    const script = (await get(asset('.js'), 'identity')).body.toString();
    expect(script).not.toContain('sourceMappingURL');
  });

  it("serves the page's icon (the tab's) as a hashed file cached for good: one request a first visit, none after", async () => {
    assertBuilt();
    server = await h.start({ staticDir: DIST });
    const page = (await get('/', 'identity')).body.toString();
    const icon = /<link rel="icon" href="([^"]+)"/.exec(page)?.[1];
    expect(icon).toMatch(/^\/assets\/favicon-[\w-]+\.svg$/);
    const response = await get(icon!, 'identity');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/svg/);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    // The header's mark is drawn in the page (client/src/ui/BrandMark.tsx), not loaded through the stylesheet.
    const styles = /<link rel="stylesheet" crossorigin href="([^"]+)"/.exec(page)?.[1];
    expect((await get(styles!, 'identity')).body.toString()).not.toContain(icon);
  });
});
