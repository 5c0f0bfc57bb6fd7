import type { SnapshotRecord } from '../../server/src/storage/port';

/** A snapshot's record as storage keeps it (no context), taken by hand by `personId`. */
export function snapshotRecord(agreementId: string, id: string, personId = 'u0'): SnapshotRecord {
  const createdBy = { personId, name: 'Brook', role: 'broker' as const };
  return { id, agreementId, label: id, createdAt: '2026-12-05T00:00:00.000Z', createdBy, hash: 'a'.repeat(64), prevHash: null, reason: 'manual' };
}
