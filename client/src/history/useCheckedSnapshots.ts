import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { RecordsKey } from '#shared/records';
import type { SnapshotSummary, VerifiedSnapshot } from '#shared/snapshots';
import type { ServerRoom } from '../session/useServerRoom';
import { useRoomSynced } from '../session/useServerRoom';
import { useRecordsArray } from '../objectives/useRecords';
import { listSnapshots } from './historyApi';
import { ApiError } from '../api';

/**
 * Waits before trying a check again by itself after a temporary failure: 2 s, then twice as long
 * each time, at most a minute. A busy server gets fewer requests the longer it stays busy.
 */
export function recheckDelayMs(failures: number): number {
  return Math.min(60_000, 2_000 * 2 ** Math.max(0, failures - 1));
}

/** Where the server's tamper check of one snapshot stands. */
export type SnapshotCheck = 'verified' | 'altered' | 'checking';

export interface ListedSnapshot extends SnapshotSummary {
  check: SnapshotCheck;
}

export interface CheckedSnapshots {
  /** Oldest first: every snapshot the records room's index holds, with the server's check once it came. */
  snapshots: ListedSnapshot[];
  /** The chain as a whole: broken as soon as one checked snapshot is; verified once all are checked. */
  chain: 'verified' | 'broken' | 'checking';
  /** Why the last check failed (the list still shows, marked as not checked). */
  error: string | null;
  /** Whether that failure is temporary and the check will be tried again by itself. */
  retrying: boolean;
  recheck: () => void;
}

/**
 * The agreement's snapshots as soon as the records room has them, and the server's check of each
 * (`GET …/snapshots`) when it answers. The check can take a while (after a restart the server
 * fingerprints every stored state once), and a legal reviewer should see what exists meanwhile,
 * marked as being checked, rather than an empty list.
 */
export function useCheckedSnapshots(records: ServerRoom | null, agreementId: string, token: string): CheckedSnapshots {
  const index = useRecordsArray<SnapshotSummary>(records, RecordsKey.snapshots);
  const synced = useRoomSynced(records);
  const [listed, setListed] = useState<VerifiedSnapshot[] | null>(null);
  const [error, setError] = useState<{ message: string; retrying: boolean } | null>(null);
  const running = useRef<AbortController | null>(null);
  // Temporary failures in a row, and the retry waiting for its turn.
  const failures = useRef(0);
  const retry = useRef<ReturnType<typeof setTimeout> | null>(null);

  const recheck = useCallback(() => {
    // Only the latest answer counts: an earlier one may come last and would show an older list.
    running.current?.abort();
    if (retry.current !== null) clearTimeout(retry.current);
    retry.current = null;
    const controller = new AbortController();
    running.current = controller;
    listSnapshots(agreementId, token, controller.signal).then(
      (snapshots) => {
        if (controller.signal.aborted) return;
        failures.current = 0;
        setListed(snapshots);
        setError(null);
      },
      (err: Error) => {
        if (controller.signal.aborted) return;
        // A busy or restarting server (its document worker replaced: 503) or a lost connection
        // passes: the check is asked for again by itself. Anything else waits for "Check again".
        const temporary = err instanceof ApiError && err.isTemporary;
        setError({ message: err.message, retrying: temporary });
        if (!temporary) return;
        failures.current++;
        retry.current = setTimeout(recheck, recheckDelayMs(failures.current));
      },
    );
  }, [agreementId, token]);

  useEffect(
    () => () => {
      running.current?.abort();
      if (retry.current !== null) clearTimeout(retry.current);
    },
    [],
  );

  // The index changes whenever anyone (or the server itself) takes a snapshot. Check once the room
  // has synced (before, its first state arriving would ask again), and again after a reconnect
  // (snapshots may have been taken meanwhile).
  useEffect(() => {
    if (!records || !synced) return;
    recheck();
    const type = records.doc.getArray(RecordsKey.snapshots);
    type.observe(recheck);
    return () => type.unobserve(recheck);
  }, [records, synced, recheck]);

  return useMemo(() => merge(index, listed, error, recheck), [index, listed, error, recheck]);
}

function merge(
  index: SnapshotSummary[],
  listed: VerifiedSnapshot[] | null,
  error: { message: string; retrying: boolean } | null,
  recheck: () => void,
): CheckedSnapshots {
  const checked = new Map((listed ?? []).map((s) => [s.id, s]));
  // The server's list first (its order is the chain's); then what the index has that it had not yet.
  const snapshots: ListedSnapshot[] = (listed ?? []).map(({ verified, chainValid: _, ...summary }) => ({
    ...summary,
    check: verified ? 'verified' : 'altered',
  }));
  for (const summary of index) if (!checked.has(summary.id)) snapshots.push({ ...summary, check: 'checking' });
  const broken = listed?.some((s) => !s.chainValid) ?? false;
  const chain = broken ? 'broken' : snapshots.some((s) => s.check === 'checking') ? 'checking' : 'verified';
  return { snapshots, chain, error: error?.message ?? null, retrying: error?.retrying ?? false, recheck };
}
