import type { SnapshotSummary } from '#shared/snapshots';
import type { SnapshotRecord } from '../../storage/port';

/** A snapshot's record without what only the server needs. */
export function summaryOf(record: SnapshotRecord): SnapshotSummary {
  const { id, label, createdAt, createdBy, hash, prevHash, reason } = record;
  return { id, label, createdAt, createdBy, hash, prevHash, reason };
}
