import { parseRoom, recordsRoom } from '#shared/rooms';
import type { RoomExtension } from './extension';
import type { Room } from './Room';
import type { RoomManager } from './RoomManager';

/**
 * A room extension for a rule a live text room takes from its agreement's records: the records room
 * is held beside each text room while it is loaded, and `follow` starts watching it once it is in,
 * before the text room is handed out (so nobody is let in before the rule is known); it answers how
 * to stop, which is called before the text room unloads and the records room is let go.
 */
export function followingRecords(rooms: RoomManager, follow: (content: Room, records: Room) => () => void): RoomExtension {
  const companions = new Map<Room, { records: Room; stop: () => void }>();
  return {
    async ready(room) {
      const ref = parseRoom(room.name);
      if (ref?.kind !== 'content') return;
      const records = await rooms.acquire(recordsRoom(ref.agreementId));
      companions.set(room, { records, stop: follow(room, records) });
    },
    beforeUnload(room) {
      const companion = companions.get(room);
      if (!companion) return;
      companions.delete(room);
      companion.stop();
      rooms.release(companion.records);
    },
  };
}
