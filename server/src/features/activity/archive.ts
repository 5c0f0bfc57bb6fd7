import type * as Y from 'yjs';
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

/**
 * Entries the archive keeps (`MAX_ARCHIVED_ACTIVITY`). Each is logged at most 60 a minute per person, and
 * the whole archive is read into memory for every page of GET /activity: a months-long negotiation
 * logs a few thousand, one person toggling a thread all day 86,000. Past the cap, the oldest entries of
 * whoever holds the most go first, so a flood erases its own history, not the others'.
 */
export const MAX_ARCHIVED_ACTIVITY = 20_000;

/** The archive room's map of counts: `dropped`, entries no longer kept. */
const ARCHIVE_META = 'meta';

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
    private readonly maxArchived = MAX_ARCHIVED_ACTIVITY,
  ) {}

  afterLoad(room: Room): void {
    const { rooms, log, maxArchived } = this;
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
        while (!room.closed && activity.length > ACTIVITY_KEPT) await moveOldest(rooms, ref.agreementId, maxArchived);
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

/** Moves what is over {@link ACTIVITY_KEPT} from the records room to the archive, archive first; the archive keeps `maxArchived`. */
function moveOldest(rooms: RoomManager, agreementId: string, maxArchived: number): Promise<void> {
  return exclusively(rooms, agreementId, () =>
    rooms.with(recordsRoom(agreementId), async (records) => {
      const live = records.doc.getArray<ActivityEntry>(RecordsKey.activity);
      const overflow = live.length - ACTIVITY_KEPT;
      if (overflow <= 0) return;
      const oldest = live.slice(0, overflow);
      await rooms.with(activityArchiveRoom(agreementId), (archive) => {
        archive.doc.transact(() => {
          const archived = archive.doc.getArray<ActivityEntry>(RecordsKey.activity);
          archived.push(oldest);
          dropBusiestOldest(archived, archive.doc.getMap<number>(ARCHIVE_META), maxArchived);
        }, SERVER_ORIGIN);
      });
      records.doc.transact(() => live.delete(0, overflow), SERVER_ORIGIN);
    }),
  );
}

/**
 * Brings the archive down to `max` entries: the excess is taken from whoever holds the most, one
 * entry at a time (so the largest holders are evened down first), each person's oldest first.
 */
function dropBusiestOldest(archived: Y.Array<ActivityEntry>, meta: Y.Map<number>, max: number): void {
  const excess = archived.length - max;
  if (excess <= 0) return;
  const entries = archived.toArray();
  const held = new Map<string, number>();
  for (const entry of entries) held.set(holderOf(entry), (held.get(holderOf(entry)) ?? 0) + 1);
  const toDrop = new Map<string, number>();
  for (let i = 0; i < excess; i++) {
    let busiest = '';
    let most = -1;
    for (const [person, count] of held) {
      if (count > most) [busiest, most] = [person, count];
    }
    held.set(busiest, most - 1);
    toDrop.set(busiest, (toDrop.get(busiest) ?? 0) + 1);
  }
  const dropAt: number[] = [];
  entries.forEach((entry, index) => {
    const left = toDrop.get(holderOf(entry)) ?? 0;
    if (left === 0) return;
    toDrop.set(holderOf(entry), left - 1);
    dropAt.push(index);
  });
  // From the end, a run of neighbours at a time: earlier indexes stay valid.
  for (let end = dropAt.length - 1; end >= 0;) {
    let start = end;
    while (start > 0 && dropAt[start - 1] === dropAt[start] - 1) start--;
    archived.delete(dropAt[start], end - start + 1);
    end = start - 1;
  }
  meta.set('dropped', (meta.get('dropped') ?? 0) + excess);
}

/** Whose entry it is; an entry stored without its author (written by hand, or by an older server) counts as nobody's. */
function holderOf(entry: ActivityEntry): string {
  return (entry.by as ActivityEntry['by'] | undefined)?.personId ?? '';
}

// A move and a read of the same agreement's log take turns: a read that took the archive before a
// move and the live part after it would miss the entries moved in between.
const turns = new WeakMap<RoomManager, SerialByKey>();

function exclusively<T>(rooms: RoomManager, agreementId: string, work: () => Promise<T>): Promise<T> {
  let serial = turns.get(rooms);
  if (!serial) turns.set(rooms, (serial = new SerialByKey()));
  return serial.run(agreementId, work);
}

/** An agreement's activity log as kept, archived entries first, oldest first, and how many older ones are no longer kept. */
export function readActivity(rooms: RoomManager, agreementId: string): Promise<{ entries: ActivityEntry[]; dropped: number }> {
  return exclusively(rooms, agreementId, async () => {
    const { archived, dropped } = await rooms.with(activityArchiveRoom(agreementId), (room) => ({
      archived: room.doc.getArray<ActivityEntry>(RecordsKey.activity).toArray(),
      dropped: room.doc.getMap<number>(ARCHIVE_META).get('dropped') ?? 0,
    }));
    const live = await rooms.with(recordsRoom(agreementId), (room) => room.doc.getArray<ActivityEntry>(RecordsKey.activity).toArray());
    return { entries: [...archived, ...live], dropped };
  });
}
