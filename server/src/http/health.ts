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
  /** Publish how many agreements are open (`rooms`): an operator's choice, for a bench or a monitor on a private network. */
  roomCount?: boolean;
}

/**
 * `GET /api/health`: 200 once the server takes connections, with the largest message it
 * accepts. It answers anyone, so it tells nothing of what is going on: how many agreements are
 * open only when the operator asks for it (`roomCount`). With a database that cannot be reached
 * (PostgreSQL away) it is 503 with `storage: 'unavailable'`, so a load balancer sends nobody here
 * until it is back.
 */
export const healthPlugin: FastifyPluginAsync<HealthOptions> = async (app, { rooms, storage, maxMessageBytes, updateAllowance, roomCount = false }) => {
  app.get('/api/health', async (_request, reply) => {
    const openRooms = roomCount ? { rooms: rooms.openRooms } : {};
    try {
      await storage.probe?.();
    } catch {
      return reply
        .code(503)
        .header('retry-after', String(STORAGE_RETRY_AFTER_SECONDS))
        .send({
          ok: false,
          storage: 'unavailable',
          error: 'the database cannot be reached right now',
          code: ErrorCode.StorageUnavailable,
          ...openRooms,
          maxMessageBytes,
          updateAllowance,
        });
    }
    return { ok: true, storage: 'ok', ...openRooms, maxMessageBytes, updateAllowance };
  });
};
