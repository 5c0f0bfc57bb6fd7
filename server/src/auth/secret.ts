import { randomBytes } from 'node:crypto';
import type { Storage } from '../storage/port';

/**
 * The token signing secret: AUTH_SECRET when given, else one generated on first start and
 * kept by the storage (a file in DATA_DIR, or the database every instance shares), so
 * invite links stay valid across restarts and on every instance.
 */
export async function loadSecret(storage: Storage, configured?: string): Promise<Uint8Array> {
  if (configured) return new TextEncoder().encode(configured);
  const secret = await storage.loadSecret(() => randomBytes(32).toString('base64url'));
  return new TextEncoder().encode(secret);
}
