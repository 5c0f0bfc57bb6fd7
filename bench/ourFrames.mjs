import { crc32 } from 'node:zlib';

/** Our append-log frames: [length u32][crc32 u32][payload] (server/src/storage/updateLog.ts), to store a room's log for a bench. */
export function ourFrames(payloads) {
  const out = Buffer.allocUnsafe(payloads.reduce((n, p) => n + 8 + p.byteLength, 0));
  let at = 0;
  for (const p of payloads) {
    out.writeUInt32LE(p.byteLength, at);
    out.writeUInt32LE(crc32(p), at + 4);
    out.set(p, at + 8);
    at += 8 + p.byteLength;
  }
  return out;
}
