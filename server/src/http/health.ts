import type { FastifyPluginAsync } from 'fastify';
import { ErrorCode } from '#shared/errors';
import type { UpdateAllowance } from '#shared/protocol';
import type { RoomManager } from '../rooms/RoomManager';
import type { Storage } from '../storage/port';
import { STORAGE_RETRY_AFTER_SECONDS } from '../storage/unavailable';

export interface HealthOptions {
  rooms: RoomManager;
  storage: Storage;
  /** Published so clients split their updates under it instead of being cut off (1009). */
  maxMessageBytes: number;
  /** Published so clients split and pace their updates under it instead of being cut off (4500, 1013). */
  updateAllowance: UpdateAllowance;
}

/**
 * `GET /api/health`: 200 once the server takes connections, with the largest message it
 * accepts. With a database that cannot be reached (PostgreSQL away) it is 503 with
 * `storage: 'unavailable'`, so a load balancer sends nobody here until it is back.
 */
export const healthPlugin: FastifyPluginAsync<HealthOptions> = async (app, { rooms, storage, maxMessageBytes, updateAllowance }) => {
  app.get('/api/health', async (_request, reply) => {
    try {
      await storage.probe?.();
    } catch {
      return reply.code(503).header('retry-after', String(STORAGE_RETRY_AFTER_SECONDS)).send({
        ok: false,
        storage: 'unavailable',
        error: 'the database cannot be reached right now',
        code: ErrorCode.StorageUnavailable,
        rooms: rooms.openRooms,
        maxMessageBytes,
        updateAllowance,
      });
    }
    return { ok: true, storage: 'ok', rooms: rooms.openRooms, maxMessageBytes, updateAllowance };
  });
};
