import { promises as fs } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { writeFileAtomic } from '../storage/updateLog';

/**
 * The token signing secret: AUTH_SECRET when given, else one generated on first start
 * and kept in DATA_DIR, so invite links stay valid across restarts.
 */
export async function loadSecret(dataDir: string, configured?: string): Promise<Uint8Array> {
  if (configured) return new TextEncoder().encode(configured);
  const path = join(dataDir, 'auth-secret');
  try {
    const existing = (await fs.readFile(path, 'utf8')).trim();
    if (existing.length >= 32) return new TextEncoder().encode(existing);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const secret = randomBytes(32).toString('base64url');
  await fs.mkdir(dataDir, { recursive: true });
  await writeFileAtomic(path, secret);
  await fs.chmod(path, 0o600);
  return new TextEncoder().encode(secret);
}
