import type * as Y from 'yjs';
import { parseRoom } from '#shared/rooms';
import { migrateThreads } from '#shared/threadStore';
import type { RoomExtension } from '../../rooms/extension';
import { SERVER_ORIGIN } from '../../rooms/origin';

/**
 * Rooms stored before comments were entries of their own hold each thread as one plain
 * value; as such a room loads, each is rewritten as a stored thread (see `#shared/threadStore`),
 * once: the repair is stored with the room's next compaction.
 */
export const threadShapeMigration: RoomExtension = {
  repairOnLoad(name: string, doc: Y.Doc): boolean {
    const kind = parseRoom(name)?.kind;
    if (kind !== 'records' && kind !== 'caucus') return false;
    let migrated = 0;
    doc.transact(() => {
      migrated = migrateThreads(doc);
    }, SERVER_ORIGIN);
    return migrated > 0;
  },
};
