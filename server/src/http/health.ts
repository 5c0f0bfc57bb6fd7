import type { FastifyPluginAsync } from 'fastify';
import type { RoomManager } from '../rooms/RoomManager';

export interface HealthOptions {
  rooms: RoomManager;
  /** Published so clients split their updates under it instead of being cut off (1009). */
  maxMessageBytes: number;
}

/** `GET /api/health`: 200 once the server takes connections, with the largest message it accepts. */
export const healthPlugin: FastifyPluginAsync<HealthOptions> = async (app, { rooms, maxMessageBytes }) => {
  app.get('/api/health', async () => ({ ok: true, rooms: rooms.openRooms, maxMessageBytes }));
};
