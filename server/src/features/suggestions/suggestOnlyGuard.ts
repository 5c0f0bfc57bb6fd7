import { RecordsKey } from '#shared/records';
import { parseRoom, recordsRoom } from '#shared/rooms';
import { SUGGEST_ONLY_KEY } from '#shared/suggestions';
import type { RoomExtension } from '../../rooms/extension';
import type { Room } from '../../rooms/Room';
import type { RoomManager } from '../../rooms/RoomManager';

/**
 * Keeps each live content room's `clientWritesLocked` equal to the records room's
 * `meta.suggestOnly`: while the broker has made the agreement suggest-only, the server
 * drops every connection's text update (the server's own writes, such as accepting a
 * suggestion, still go through). The records room is held beside the content room and
 * watched; a content room is handed out only once the lock is known, so no update can
 * slip in while the records load.
 */
export class SuggestOnlyGuard implements RoomExtension {
  private readonly companions = new Map<Room, { records: Room; stop: () => void }>();

  constructor(private readonly rooms: RoomManager) {}

  async ready(room: Room): Promise<void> {
    const ref = parseRoom(room.name);
    if (ref?.kind !== 'content') return;
    const records = await this.rooms.acquire(recordsRoom(ref.agreementId));
    const meta = records.doc.getMap<unknown>(RecordsKey.meta);
    const follow = () => {
      room.clientWritesLocked = meta.get(SUGGEST_ONLY_KEY) !== undefined;
    };
    follow();
    meta.observe(follow);
    this.companions.set(room, { records, stop: () => meta.unobserve(follow) });
  }

  beforeUnload(room: Room): void {
    const companion = this.companions.get(room);
    if (!companion) return;
    this.companions.delete(room);
    companion.stop();
    this.rooms.release(companion.records);
  }
}
