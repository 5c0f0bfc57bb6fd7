import type { Role } from './roles';

/**
 * The records room (`<agreementId>.records`) and each caucus room hold statements by
 * people. Only the server writes them, after checking who asks; clients read them live.
 * Each top-level shared type is named here so both sides agree.
 */
export const RecordsKey = {
  /** Y.Map<threadId, Thread>: comment threads (also used in caucus rooms for private threads and notes). */
  threads: 'threads',
  /** Y.Map<`${objectiveId}:${partyId}`, Stance>: each party's stance on each objective. */
  stances: 'stances',
  /** Y.Map<string, unknown>: agreement-wide facts, such as `phase`. */
  meta: 'meta',
  /** Y.Array<ActivityEntry>: who did what and when, newest last. */
  activity: 'activity',
  /** Y.Array<SnapshotSummary>: the snapshot index, oldest first. */
  snapshots: 'snapshots',
  /** Y.Array<PhaseChange>: every life-cycle phase change, oldest first (the current phase is `meta.phase`). */
  phaseLog: 'phaseLog',
  /** Y.Map<objectiveId, StanceCall>: the broker's latest call for stances on each objective. */
  stanceCalls: 'stanceCalls',
  /** Y.Map<suggestionId, Suggestion>: proposed changes to the text and their decisions (shared/src/suggestions.ts). */
  suggestions: 'suggestions',
} as const;

/** Who made a statement: copied from their token when the server writes it. */
export interface Author {
  personId: string;
  name: string;
  role: Role;
  party?: string;
}

/** One entry of the activity log. */
export interface ActivityEntry {
  at: string;
  by: Author;
  /** Machine-readable kind, e.g. 'thread.created', 'phase.changed', 'snapshot.taken'. */
  kind: string;
  /** Human-readable summary. */
  text: string;
}
