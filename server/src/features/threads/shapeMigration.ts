import type * as Y from 'yjs';
import { parseRoom } from '#shared/rooms';
import { migrateSuggestions } from '#shared/suggestionStore';
import { migrateThreads } from '#shared/threadStore';
import type { RoomExtension } from '../../rooms/extension';
import { SERVER_ORIGIN } from '../../rooms/origin';

/**
 * Rooms stored before comments were entries of their own hold each thread (and each
 * suggestion, in the records room) as one plain value; as such a room loads, each is
 * rewritten as a stored entry (see `#shared/threadStore`), once: the repair is stored with
 * the room's next compaction.
 */
export const threadShapeMigration: RoomExtension = {
  repairOnLoad(name: string, doc: Y.Doc): boolean {
    const kind = parseRoom(name)?.kind;
    if (kind !== 'records' && kind !== 'caucus') return false;
    let migrated = 0;
    doc.transact(() => {
      migrated = migrateThreads(doc) + (kind === 'records' ? migrateSuggestions(doc) : 0);
    }, SERVER_ORIGIN);
    return migrated > 0;
  },
};
