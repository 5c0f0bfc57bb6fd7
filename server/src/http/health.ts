import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context';

export interface HealthOptions {
  /** Published so clients split their updates under it instead of being cut off (1009). */
  maxMessageBytes: number;
}

export function healthRoutes(app: FastifyInstance, ctx: AppContext, options: HealthOptions): void {
  app.get('/api/health', async () => ({ ok: true, rooms: ctx.rooms.openRooms, maxMessageBytes: options.maxMessageBytes }));
}
