import type { PendingSuggestions } from './suggestions';
import type { ObjectiveFactKey } from './objectiveFacts';
import type { Author } from './records';

/** Why a snapshot was taken: by hand, at a phase change, before a restore, on full agreement, at a session's end. */
export type SnapshotReason = 'manual' | 'phase' | 'restore' | 'agreed' | 'session';

/** A snapshot as listed in the records room's index and by `GET …/snapshots`. */
export interface SnapshotSummary {
  id: string;
  label: string;
  createdAt: string;
  createdBy: Author;
  /** SHA-256 hex of `(prevHash ?? '') + '\n' + canonicalJson(content)`. */
  hash: string;
  prevHash: string | null;
  reason: SnapshotReason;
}

/** A listed snapshot with the server's tamper check. */
export interface VerifiedSnapshot extends SnapshotSummary {
  /** Its stored document still hashes to `hash`, and `prevHash` is the previous snapshot's hash. */
  verified: boolean;
  /** This snapshot and every one before it are verified. */
  chainValid: boolean;
}

/** What the records room said at the moment of the snapshot (shapes owned by their features). */
export interface SnapshotContext {
  phase: unknown;
  /** When that phase began: the last phase change's moment, null before any (snapshots kept before have none). */
  phaseSince?: string | null;
  /** The records room's stances map, as JSON. */
  stances: Record<string, unknown>;
  /** Threads that were open then, as JSON. */
  openThreads: Record<string, unknown>;
  /** Suggestions that were open then, as exports state them (snapshots kept before have none). */
  openSuggestions?: PendingSuggestions;
  /** The records room's quick win deliveries, as JSON (snapshots kept before have none). */
  quickWinDeliveries?: Record<string, unknown>;
}

/** `GET …/snapshots/:snapshotId`: one snapshot with its document as ProseMirror JSON. */
export interface SnapshotView extends SnapshotSummary {
  content: ProseMirrorJSON;
  /** Its stored text still hashes to `hash`; false: altered after it was taken (it is then neither exported nor restored). */
  verified: boolean;
  context: SnapshotContext;
}

/** A ProseMirror node as JSON (`Node.toJSON()`). */
export interface ProseMirrorJSON {
  type: string;
  attrs?: Record<string, unknown>;
  content?: ProseMirrorJSON[];
  text?: string;
  marks?: { type: string; attrs?: Record<string, unknown> }[];
}

/** Snapshot id that stands for the live text in diff and export routes. */
export const LIVE = 'live';

export const EXPORT_FORMATS = ['md', 'html', 'docx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Who made one change in a diff: the attrs of its `insertion` / `deletion` mark. */
export interface ChangeAuthor {
  personId: string;
  name: string;
  /** Party id, or null for a broker or an unknown author. */
  party: string | null;
}

/** Change counts for one group (a party, a section, an objective). */
export interface ChangeCount {
  key: string;
  insertions: number;
  deletions: number;
  /** Objective facts (owners, date, indicators, quick win, whose) changed. */
  facts: number;
}

/** One objective fact that differs between the two versions, with who set the newer value. */
export interface FactChange {
  objectiveId: string;
  /** The objective's title in the newer version (or its id when untitled). */
  objective: string;
  fact: ObjectiveFactKey;
  from: unknown;
  to: unknown;
  author: ChangeAuthor;
}

export interface DiffSummary {
  /** Insertions plus deletions (each a run of text by one person) plus changed objective facts. */
  total: number;
  insertions: number;
  deletions: number;
  facts: number;
  /** Keyed by party id; `''` for changes by people of no party. */
  byParty: ChangeCount[];
  /** Keyed by the text of the heading the change falls under (`''` before any heading). */
  bySection: ChangeCount[];
  /** Keyed by the objective's title or id, for changes inside objective blocks. */
  byObjective: ChangeCount[];
}

/** `GET …/diff`: the newer text with `insertion` / `deletion` marks on changed text. */
export interface DiffResult {
  from: { id: string; label: string; createdAt: string };
  to: { id: string; label: string; createdAt: string };
  content: ProseMirrorJSON;
  summary: DiffSummary;
  /** Objective facts changed between the two versions (attributes are not text, so they are listed apart). */
  facts: FactChange[];
}
