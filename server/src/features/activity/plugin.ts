import type { ApiPlugin } from '../../http/schemas';
import type { RoomManager } from '../../rooms/RoomManager';
import { readActivity } from './archive';
import * as schemas from './schemas';

/** The whole activity log, archived part included, a page at a time (in the agreement scope). */
export const activityPlugin: ApiPlugin<{ rooms: RoomManager }> = async (app, { rooms }) => {
  app.get('/activity', { schema: schemas.list, config: { may: 'read' } }, async (request) => {
    const all = await readActivity(rooms, request.agreement.id);
    const offset = Number(request.query.offset ?? 0);
    const limit = Number(request.query.limit ?? 200);
    return { total: all.length, offset, entries: all.slice(offset, offset + limit) };
  });
};
