import * as Y from 'yjs';
import { recordsRoom } from '#shared/rooms';
import { RecordsKey, type ActivityEntry, type Author } from '#shared/records';
import type { Identity } from '#shared/protocol';
import type { RoomManager } from '../rooms/RoomManager';
import { SERVER_ORIGIN } from '../rooms/origin';

/** The author of a statement, from the identity the server verified. */
export function authorOf(identity: Identity): Author {
  return {
    personId: identity.personId,
    name: identity.name,
    role: identity.role,
    ...(identity.party ? { party: identity.party } : {}),
  };
}

/**
 * Changes a server-owned room in one transaction: every open client sees the change
 * live, and it is stored like any other update. `change` runs synchronously so it can
 * check and write without another request slipping in between.
 */
export async function writeRoom<T>(rooms: RoomManager, room: string, change: (doc: Y.Doc) => T): Promise<T> {
  return rooms.with(room, (live) => {
    let result!: T;
    live.doc.transact(() => {
      result = change(live.doc);
    }, SERVER_ORIGIN);
    return result;
  });
}

/** Reads a server-owned room without changing it. */
export async function readRoom<T>(rooms: RoomManager, room: string, read: (doc: Y.Doc) => T): Promise<T> {
  return rooms.with(room, (live) => read(live.doc));
}

export function writeRecords<T>(rooms: RoomManager, agreementId: string, change: (doc: Y.Doc) => T): Promise<T> {
  return writeRoom(rooms, recordsRoom(agreementId), change);
}

/** Appends to the agreement's activity log (call inside a records write). */
export function logActivity(doc: Y.Doc, by: Author, kind: string, text: string): void {
  const entry: ActivityEntry = { at: new Date().toISOString(), by, kind, text };
  doc.getArray<ActivityEntry>(RecordsKey.activity).push([entry]);
}
