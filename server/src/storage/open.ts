import type { AppConfig } from '../config';
import type { Logger } from '../log';
import { LeaseManager } from '../cluster/leases';
import { LowdbStorage } from './lowdbStorage';
import { DEFAULT_STORAGE_DEADLINE_MS, PgStorage } from './pg/pgStorage';
import type { Storage } from './port';
import { removeTempLeftovers } from './tempLeftovers';

/**
 * lowdb under DATA_DIR by default; with DATABASE_URL, PostgreSQL shared by every instance,
 * its writes fenced by the leases this instance holds.
 */
export async function openStorage(
  config: AppConfig,
  log: Logger,
  /** This instance's address for the others (known once it listens). */
  instanceUrl: () => string,
): Promise<{ storage: Storage; leases?: LeaseManager }> {
  if (!config.databaseUrl) {
    // Before anything of this process writes there: its own lowdb temp files would look the same.
    const leftovers = await removeTempLeftovers(config.dataDir);
    if (leftovers.length > 0) log.warn({ files: leftovers.length, first: leftovers[0] }, 'removed temp files an interrupted write left');
    const storage = await LowdbStorage.open({
      dataDir: config.dataDir,
      flushIntervalMs: config.flushIntervalMs,
      onError: (err) => log.error({ err }, 'storage write failed; will retry'),
      onDamage: (detail) => log.error({ detail }, "a room's update log was damaged; its intact updates were kept"),
    });
    return { storage };
  }
  const deadlineMs = config.storageDeadlineMs ?? DEFAULT_STORAGE_DEADLINE_MS;
  const storage = await PgStorage.open({
    url: config.databaseUrl,
    deadlineMs,
    onError: (err) => log.warn({ err }, 'database unreachable; retrying'),
  });
  const leases = new LeaseManager(config.databaseUrl, storage, instanceUrl, log, { deadlineMs });
  storage.useFence(leases);
  return { storage, leases };
}
