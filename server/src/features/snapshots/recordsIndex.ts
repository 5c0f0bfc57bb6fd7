import type * as Y from 'yjs';
import { RecordsKey } from '#shared/records';
import { parseRoom } from '#shared/rooms';
import type { SnapshotSummary } from '#shared/snapshots';
import type { Logger } from '../../log';
import type { RoomExtension } from '../../rooms/extension';
import { SERVER_ORIGIN } from '../../rooms/origin';
import type { Room } from '../../rooms/Room';
import type { SnapshotRecord, Storage } from '../../storage/port';
import { summaryOf } from './summary';

/** Adds a stored snapshot to the records room's index (what History panels follow live), unless it is there already. */
export function indexSnapshot(doc: Y.Doc, summary: SnapshotSummary): void {
  const index = doc.getArray<SnapshotSummary>(RecordsKey.snapshots);
  if (!index.toArray().some((listed) => listed.id === summary.id)) index.push([summary]);
}

/**
 * Puts every stored snapshot the records room's index lacks in its place (after the stored one before
 * it), in one transaction; answers how many it added. A snapshot is stored before its summary goes
 * into the records room: a kill -9 in between left it in GET …/snapshots and the stored list for
 * good, and out of the index every page follows.
 */
export function reconcileIndex(doc: Y.Doc, stored: SnapshotRecord[]): number {
  const index = doc.getArray<SnapshotSummary>(RecordsKey.snapshots);
  const listed = index.toArray().map((summary) => summary.id);
  if (stored.every((record) => listed.includes(record.id))) return 0;
  let added = 0;
  doc.transact(() => {
    let at = 0;
    for (const record of stored) {
      const found = listed.indexOf(record.id);
      if (found >= 0) {
        at = Math.max(at, found + 1);
        continue;
      }
      index.insert(at, [summaryOf(record)]);
      listed.splice(at, 0, record.id);
      at++;
      added++;
    }
  }, SERVER_ORIGIN);
  return added;
}

/** Reconciles each records room's snapshot index with storage as it loads, before anyone reads it. */
export class SnapshotIndexKeeper implements RoomExtension {
  constructor(
    private readonly storage: Storage,
    private readonly log: Logger,
  ) {}

  async ready(room: Room): Promise<void> {
    const ref = parseRoom(room.name);
    if (ref?.kind !== 'records') return;
    try {
      const added = reconcileIndex(room.doc, await this.storage.listSnapshots(ref.agreementId));
      if (added > 0) this.log.warn({ room: room.name, added }, 'stored snapshots missing from the records room were listed there again');
    } catch (err) {
      // The room opens as stored: the snapshots stay listed by the API, and the next load tries again.
      this.log.error({ err, room: room.name }, 'checking the snapshot index against storage failed');
    }
  }
}
