// The bench's stand-in persistence for the peers: a file of length-prefixed Yjs updates,
// applied the way y-leveldb applies its stored updates (one transaction, one by one).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as Y from 'yjs';

export function loadInto(dir, name, doc) {
  const path = join(dir, `${name}.updates`);
  if (!existsSync(path)) return;
  const data = readFileSync(path);
  Y.transact(doc, () => {
    for (let at = 0; at < data.length;) {
      const length = data.readUInt32LE(at);
      Y.applyUpdate(doc, data.subarray(at + 4, at + 4 + length));
      at += 4 + length;
    }
  });
}

export function storeState(dir, name, doc) {
  writeFileSync(join(dir, `${name}.updates`), encode([Y.encodeStateAsUpdate(doc)]));
}

export function encode(updates) {
  const out = Buffer.allocUnsafe(updates.reduce((n, u) => n + 4 + u.byteLength, 0));
  let at = 0;
  for (const u of updates) {
    out.writeUInt32LE(u.byteLength, at);
    out.set(u, at + 4);
    at += 4 + u.byteLength;
  }
  return out;
}
