import { RecordsKey } from '#shared/records';
import { SUGGEST_ONLY_KEY } from '#shared/suggestions';
import type { RoomExtension } from '../../rooms/extension';
import type { RoomManager } from '../../rooms/RoomManager';
import { followingRecords } from '../../rooms/recordsCompanion';

/**
 * Keeps each live content room's `clientWritesLocked` equal to the records room's
 * `meta.suggestOnly`: while the broker has made the agreement suggest-only, the server
 * drops every connection's text update (the server's own writes, such as accepting a
 * suggestion, still go through). A content room is handed out only once the lock is known
 * (followingRecords), so no update can slip in while the records load.
 */
export function suggestOnlyGuard(rooms: RoomManager): RoomExtension {
  return followingRecords(rooms, (room, records) => {
    const meta = records.doc.getMap<unknown>(RecordsKey.meta);
    const follow = () => {
      room.clientWritesLocked = meta.get(SUGGEST_ONLY_KEY) !== undefined;
    };
    follow();
    meta.observe(follow);
    return () => meta.unobserve(follow);
  });
}
