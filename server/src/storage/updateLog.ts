import { promises as fs } from 'node:fs';
import { crc32 } from 'node:zlib';

/**
 * Append-only log of binary records. Each frame is [length u32][crc32 u32][payload];
 * a frame cut short by a crash, or one whose checksum fails, ends the log: readers
 * stop there and the file is truncated back to the last good frame before new appends.
 */
const HEADER = 8;

export function encodeFrames(payloads: Uint8Array[]): Buffer {
  const size = payloads.reduce((n, p) => n + HEADER + p.byteLength, 0);
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const p of payloads) {
    out.writeUInt32LE(p.byteLength, at);
    out.writeUInt32LE(crc32(p), at + 4);
    out.set(p, at + HEADER);
    at += HEADER + p.byteLength;
  }
  return out;
}

/** Reads every intact frame; `validBytes` is where the intact part ends. */
export function decodeFrames(data: Buffer): { payloads: Uint8Array[]; validBytes: number } {
  const payloads: Uint8Array[] = [];
  let at = 0;
  while (at + HEADER <= data.length) {
    const length = data.readUInt32LE(at);
    const sum = data.readUInt32LE(at + 4);
    if (at + HEADER + length > data.length) break;
    const payload = data.subarray(at + HEADER, at + HEADER + length);
    if (crc32(payload) !== sum) break;
    payloads.push(new Uint8Array(payload));
    at += HEADER + length;
  }
  return { payloads, validBytes: at };
}

/** Reads a log file, cutting off a torn tail so later appends stay reachable. */
export async function readLog(path: string): Promise<Uint8Array[]> {
  let data: Buffer;
  try {
    data = await fs.readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const { payloads, validBytes } = decodeFrames(data);
  if (validBytes < data.length) await fs.truncate(path, validBytes);
  return payloads;
}

/** Writes a whole file so that a crash leaves either the old or the new content. */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  const handle = await fs.open(tmp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.rename(tmp, path);
}
