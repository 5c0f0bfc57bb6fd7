import type { FastifyPluginAsync } from 'fastify';
import type { RoomManager } from '../rooms/RoomManager';

/** `GET /api/health`: 200 once the server takes connections. */
export const healthPlugin: FastifyPluginAsync<{ rooms: RoomManager }> = async (app, { rooms }) => {
  app.get('/api/health', async () => ({ ok: true, rooms: rooms.openRooms }));
};
