import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context';

export function healthRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/health', async () => ({ ok: true, rooms: ctx.rooms.openRooms }));
}
