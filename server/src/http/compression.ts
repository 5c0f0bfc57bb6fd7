import compress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';

/**
 * Answers of 1 KB or more go compressed to a client that accepts it (brotli at quality 4, else gzip).
 * A comparison of a version of a 40-page agreement with the live text is 1.1 MB of JSON: seconds on a
 * field office's link, a tenth of it compressed. Large answers are compressed in libuv's threadpool, off
 * the event loop. The app's files, stored compressed (static.ts), go as they are. Request bodies are never
 * unpacked: a few kilobytes of gzip can unpack to far more than the body limit.
 */
export async function registerCompression(app: FastifyInstance): Promise<void> {
  await app.register(compress, { threshold: 1024, encodings: ['br', 'gzip'], globalDecompression: false });
}
