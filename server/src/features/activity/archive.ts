import { RecordsKey, type ActivityEntry } from '#shared/records';
import { parseRoom, recordsRoom } from '#shared/rooms';
import type { Logger } from '../../log';
import type { RoomExtension } from '../../rooms/extension';
import { SERVER_ORIGIN } from '../../rooms/origin';
import type { Room } from '../../rooms/Room';
import type { RoomManager } from '../../rooms/RoomManager';
import { SerialByKey } from '../../serialByKey';

/** Activity entries the records room keeps (every client syncs them); older ones are archived. */
export const ACTIVITY_KEPT = 200;

/** The server-private room of an agreement's archived activity (no websocket can open it: parseRoom rejects the name). */
export function activityArchiveRoom(agreementId: string): string {
  return `${agreementId}.activity`;
}

/**
 * Keeps the records room's activity log at {@link ACTIVITY_KEPT} entries: once it grows past
 * that, the oldest entries move to the archive room, which only the server reads (over HTTP).
 * The archive is written first, so a crash in between duplicates entries rather than losing them.
 */
export class ActivityArchive implements RoomExtension {
  constructor(
    private readonly rooms: RoomManager,
    private readonly log: Logger,
  ) {}

  afterLoad(room: Room): void {
    const { rooms, log } = this;
    const ref = parseRoom(room.name);
    if (ref?.kind !== 'records') return;
    const activity = room.doc.getArray<ActivityEntry>(RecordsKey.activity);
    let moving = false;
    const trim = async () => {
      // A room being unloaded (or a server closing) is trimmed when it next loads.
      if (moving || room.closed || activity.length <= ACTIVITY_KEPT) return;
      moving = true;
      try {
        // Entries logged while a move was under way (it waits for storage) are moved next.
        while (!room.closed && activity.length > ACTIVITY_KEPT) await moveOldest(rooms, ref.agreementId);
      } catch (err) {
        log.error({ err, room: room.name }, 'archiving activity failed');
      } finally {
        moving = false;
      }
    };
    activity.observe(() => void trim());
    void trim();
  }
}

/** Moves what is over {@link ACTIVITY_KEPT} from the records room to the archive, archive first. */
function moveOldest(rooms: RoomManager, agreementId: string): Promise<void> {
  return exclusively(rooms, agreementId, () =>
    rooms.with(recordsRoom(agreementId), async (records) => {
      const live = records.doc.getArray<ActivityEntry>(RecordsKey.activity);
      const overflow = live.length - ACTIVITY_KEPT;
      if (overflow <= 0) return;
      const oldest = live.slice(0, overflow);
      await rooms.with(activityArchiveRoom(agreementId), (archive) => {
        archive.doc.transact(() => archive.doc.getArray<ActivityEntry>(RecordsKey.activity).push(oldest), SERVER_ORIGIN);
      });
      records.doc.transact(() => live.delete(0, overflow), SERVER_ORIGIN);
    }),
  );
}

// A move and a read of the same agreement's log take turns: a read that took the archive before a
// move and the live part after it would miss the entries moved in between.
const turns = new WeakMap<RoomManager, SerialByKey>();

function exclusively<T>(rooms: RoomManager, agreementId: string, work: () => Promise<T>): Promise<T> {
  let serial = turns.get(rooms);
  if (!serial) turns.set(rooms, (serial = new SerialByKey()));
  return serial.run(agreementId, work);
}

/** An agreement's whole activity log, archived entries first, oldest first. */
export function readActivity(rooms: RoomManager, agreementId: string): Promise<ActivityEntry[]> {
  return exclusively(rooms, agreementId, async () => {
    const archived = await rooms.with(activityArchiveRoom(agreementId), (room) => room.doc.getArray<ActivityEntry>(RecordsKey.activity).toArray());
    const live = await rooms.with(recordsRoom(agreementId), (room) => room.doc.getArray<ActivityEntry>(RecordsKey.activity).toArray());
    return [...archived, ...live];
  });
}
