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

/** The frame at `at` when it is whole and its checksum holds. */
function frameAt(data: Buffer, at: number): Uint8Array | undefined {
  if (at + HEADER > data.length) return undefined;
  const length = data.readUInt32LE(at);
  if (at + HEADER + length > data.length) return undefined;
  const payload = data.subarray(at + HEADER, at + HEADER + length);
  return crc32(payload) === data.readUInt32LE(at + 4) ? new Uint8Array(payload) : undefined;
}

/**
 * Reads every intact frame. `validBytes` is where the last one ends; `skippedBytes` counts damage
 * between intact frames: past a bad frame the next intact one is looked for, byte by byte (an empty
 * frame does not count: a run of zeros would pass), so damage inside the log loses only itself.
 */
export function decodeFrames(data: Buffer): { payloads: Uint8Array[]; validBytes: number; skippedBytes: number } {
  const payloads: Uint8Array[] = [];
  let at = 0;
  let validBytes = 0;
  let skippedBytes = 0;
  while (at + HEADER <= data.length) {
    const payload = frameAt(data, at);
    if (payload) {
      payloads.push(payload);
      at += HEADER + payload.byteLength;
      validBytes = at;
      continue;
    }
    let next = at + 1;
    while (next + HEADER <= data.length && !(data.readUInt32LE(next) > 0 && frameAt(data, next))) next++;
    if (next + HEADER > data.length) break;
    skippedBytes += next - at;
    at = next;
  }
  return { payloads, validBytes, skippedBytes };
}

/**
 * Reads a log file. A torn tail (a crash mid-append) is cut off, so later appends stay reachable.
 * Damage with intact frames after it (a failing disk; a write a full disk cut short, in a log
 * written before such writes were cut back) used to end the log there too, and the cut dropped
 * every later frame for good: now the log is kept as it was beside (`<log>.damaged-<time>`,
 * `onDamage` told) and rewritten with its intact frames.
 */
export async function readLog(path: string, onDamage: (message: string) => void = () => {}): Promise<Uint8Array[]> {
  let data: Buffer;
  try {
    data = await fs.readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const { payloads, validBytes, skippedBytes } = decodeFrames(data);
  if (skippedBytes > 0) {
    const keptAs = `${path}.damaged-${Date.now()}`;
    await fs.copyFile(path, keptAs);
    await writeFileAtomic(path, encodeFrames(payloads));
    onDamage(`${path}: ${skippedBytes} damaged bytes skipped, ${payloads.length} intact updates kept; the log as it was is ${keptAs}`);
  } else if (validBytes < data.length) await fs.truncate(path, validBytes);
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
