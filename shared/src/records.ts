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
  /** Y.Map<sessionId, LiveSession>: live sessions: plan, status, current item, hands, floor, caucus break (shared/src/sessions.ts). */
  sessions: 'sessions',
  /** Y.Map<roundId, ConsentRound>: consent rounds, open and closed, kept. */
  consentRounds: 'consentRounds',
  /** Y.Map<id, ParkedPoint>: contested points parked until resolved, across sessions. */
  parkedPoints: 'parkedPoints',
  /** Y.Map<id, Decision>: decisions recorded in sessions. */
  decisions: 'decisions',
  /** Y.Map<id, ActionItem>: actions agreed in sessions (dated ones join the quick-wins timeline). */
  actions: 'actions',
  /** Y.Map<objectiveId, QuickWinDelivery>: quick wins marked delivered (shared/src/quickWinDelivery.ts); not delivered: no entry. */
  quickWinDeliveries: 'quickWinDeliveries',
  /** Y.Array<AttendanceEntry>: joins and leaves seen in the text room's presence while a session runs. */
  attendance: 'attendance',
  /** Y.Map<sessionId, Minutes>: the minutes the server wrote at each session's end. */
  minutes: 'minutes',
  /** Y.Map<suggestionId, stored suggestion>: proposed changes to the text and their decisions (shared/src/suggestions.ts, stored as shared/src/suggestionStore.ts says). */
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
