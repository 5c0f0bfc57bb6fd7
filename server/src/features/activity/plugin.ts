import type { ApiPlugin } from '../../http/schemas';
import type { RoomManager } from '../../rooms/RoomManager';
import { readActivity } from './archive';
import * as schemas from './schemas';

/** The activity log as kept, archived part included, a page at a time (in the agreement scope); `dropped` counts older entries no longer kept. */
export const activityPlugin: ApiPlugin<{ rooms: RoomManager }> = async (app, { rooms }) => {
  app.get('/activity', { schema: schemas.list, config: { may: 'read' } }, async (request) => {
    const { entries, dropped } = await readActivity(rooms, request.agreement.id);
    const offset = Number(request.query.offset ?? 0);
    const limit = Number(request.query.limit ?? 200);
    return { total: entries.length, dropped, offset, entries: entries.slice(offset, offset + limit) };
  });
};
