import { hostname } from 'node:os';
import type { FastifyInstance } from 'fastify';
import type { AppConfig } from '../config';
import { LeaseManager } from '../cluster/leases';
import { LowdbStorage } from './lowdbStorage';
import { PgStorage } from './pg/pgStorage';
import type { Storage } from './port';

/** The address other instances reach this one at: INSTANCE_URL, else where it listens. */
export function instanceUrlOf(app: FastifyInstance, configured?: string): string {
  if (configured) return configured.replace(/\/+$/, '');
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the server is not listening yet');
  const host = address.address === '0.0.0.0' || address.address === '::' ? hostname() : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}

/**
 * lowdb under DATA_DIR by default; with DATABASE_URL, PostgreSQL shared by every instance,
 * its writes fenced by the leases this instance holds.
 */
export async function openStorage(config: AppConfig, app: FastifyInstance): Promise<{ storage: Storage; leases?: LeaseManager }> {
  if (!config.databaseUrl) {
    const storage = await LowdbStorage.open({
      dataDir: config.dataDir,
      flushIntervalMs: config.flushIntervalMs,
      onError: (err) => app.log.error({ err }, 'storage write failed; will retry'),
    });
    return { storage };
  }
  const storage = await PgStorage.open({
    url: config.databaseUrl,
    onError: (err) => app.log.warn({ err }, 'database unreachable; retrying'),
  });
  const leases = new LeaseManager(config.databaseUrl, storage, () => instanceUrlOf(app, config.instanceUrl), app.log);
  storage.useFence(leases);
  return { storage, leases };
}
