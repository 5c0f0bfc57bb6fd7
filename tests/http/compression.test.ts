import { request, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { contentRoom } from '#shared/rooms';
import type { SnapshotSummary } from '#shared/snapshots';
import { contentString, synced } from '../support/clients';
import { paragraph, writeDocument } from '../support/document';
import { useHarness } from '../support/harness';
import { api, createAgreement } from '../support/server';
import { waitFor } from '../support/poll';

/** How API answers travel: compressed when long and the client accepts it, as they are otherwise. */
const h = useHarness();

/** The raw bytes as sent (Node's fetch would decompress them), with the headers. */
function send(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer } = {},
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(url, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
    })
      .on('error', reject)
      .end(options.body);
  });
}

describe('API answers', () => {
  it('a long answer (a comparison of two versions) goes brotli- or gzip-compressed to a client that accepts it, and reads the same', async () => {
    const server = await h.start();
    const f = await createAgreement(server);
    // What the writer writes is on the server once the reader has it.
    const [writer, reader] = [0, 1].map(() => h.connect(server, contentRoom(f.agreement.id), f.brokerToken));
    await synced(writer);
    await synced(reader);
    const clause = (n: number) => `Clause ${n}: the parties restore the river banks together and share what they learn each season.`;
    writeDocument(writer.doc, { type: 'doc', content: Array.from({ length: 60 }, (_, n) => paragraph(clause(n))) });
    const take = async (label: string) =>
      (await api<SnapshotSummary>(server, 'POST', `/api/agreements/${f.agreement.id}/snapshots`, { label }, f.brokerToken)).body;
    await waitFor(() => contentString(reader.doc).includes(clause(59)), { what: 'the text on the server' });
    const first = await take('First draft');
    writeDocument(writer.doc, { type: 'doc', content: [paragraph('A new preamble.')] });
    await waitFor(() => contentString(reader.doc).includes('A new preamble.'), { what: 'the change on the server' });
    const second = await take('Second draft');
    const url = `${server.http}/api/agreements/${f.agreement.id}/diff?from=${first.id}&to=${second.id}`;
    const auth = { authorization: `Bearer ${f.brokerToken}` };

    const plain = await send(url, { headers: { ...auth, 'accept-encoding': 'identity' } });
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(4096);
    expect(JSON.parse(plain.body.toString()).summary.total).toBeGreaterThan(0);

    const br = await send(url, { headers: { ...auth, 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.body.length).toBeLessThan(plain.body.length / 4);
    expect(JSON.parse(brotliDecompressSync(br.body).toString())).toEqual(JSON.parse(plain.body.toString()));

    const gz = await send(url, { headers: { ...auth, 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gz.body).toString())).toEqual(JSON.parse(plain.body.toString()));
  });

  it('a short answer goes as it is, compression would only cost time', async () => {
    const server = await h.start();
    const health = await send(`${server.http}/api/health`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(health.status).toBe(200);
    expect(health.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(health.body.toString()).ok).toBe(true);
  });

  it('a compressed request body is refused with a JSON error, never unpacked (a few bytes could unpack to far more than the body limit)', async () => {
    const server = await h.start();
    const body = gzipSync(Buffer.from(JSON.stringify({ title: 'x'.repeat(5_000_000) })));
    expect(body.length).toBeLessThan(20_000);
    const answer = await send(`${server.http}/api/agreements`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(body.length) },
      body,
    });
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(JSON.parse(answer.body.toString())).toMatchObject({ error: expect.any(String) });
    expect((await api(server, 'GET', '/api/health')).status).toBe(200);
  });
});
