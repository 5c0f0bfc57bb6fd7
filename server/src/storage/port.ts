import type { Role, Sector } from '#shared/roles';
import type { SnapshotContext, SnapshotReason } from '#shared/snapshots';
import type { AuditEntry } from '#shared/access';

/** A party as stored: the agreement's parties keep their order (it decides their colour). */
export interface StoredParty {
  id: string;
  name: string;
  sector: Sector;
}

/** One agreement's metadata. The text itself lives in the room logs. */
export interface AgreementRecord {
  id: string;
  title: string;
  parties: StoredParty[];
  createdAt: string;
  /** Person ids of people invited, with their role, so invites can be listed and revoked later. */
  people: PersonRecord[];
}

export interface PersonRecord {
  id: string;
  name: string;
  role: Role;
  /** Only negotiators speak for a party. */
  party?: string;
  invitedAt: string;
  invitedBy?: { personId: string; name: string };
  /** Every link issued to them; absent for people invited before links were kept (their token has no id). */
  links?: LinkRecord[];
  /** Set when a broker revoked the person: no link of theirs opens anything. */
  revokedAt?: string;
  /** Last use of any of their links, kept to the minute. */
  lastSeenAt?: string;
}

/**
 * A change to a person: given them and their agreement as stored now, their new record (same id),
 * or undefined to leave them as they are. Throwing leaves everything as it was and fails the
 * update with that error, so a rule that depends on the others (keep a broker) is checked here.
 * It may run more than once (a transaction retried), so it does nothing but compute.
 */
export type PersonChange = (person: PersonRecord, agreement: AgreementRecord) => PersonRecord | undefined;

/** What {@link Storage.updatePerson} did: the person before, their new record when changed, and the agreement as stored now. */
export interface PersonUpdate {
  before: PersonRecord;
  after: PersonRecord | undefined;
  agreement: AgreementRecord;
}

/** One issued access link (the token itself is never stored). */
export interface LinkRecord {
  /** The token's `jti`. */
  id: string;
  issuedAt: string;
  expiresAt: string | null;
  revokedAt?: string;
}

/** What a snapshot's stored state is now, without its bytes (see `Storage.snapshotStates`). */
export interface StoredState {
  bytes: number;
  stamp: string;
}

/** A snapshot's metadata; its document state is stored beside it, whole. */
export interface SnapshotRecord {
  id: string;
  agreementId: string;
  label: string;
  createdAt: string;
  createdBy: { personId: string; name: string; role: Role; party?: string };
  /** SHA-256 over the content and the previous snapshot's hash (a chain). */
  hash: string;
  prevHash: string | null;
  /** Why it was taken: by hand, at a phase change, before a restore, on full agreement, at a session's end. */
  reason: SnapshotReason;
  /** The records room's stances, open threads and phase at that moment (JSON). */
  context?: SnapshotContext;
}

/** A position in a room's stored log, as its adapter counts (see {@link Storage.logMark}); only that adapter reads it. */
export type LogMark = number & { readonly __logMark: never };

/**
 * The storage port. Every adapter passes tests/storage/contract.ts.
 * Document rooms are an append-only list of Yjs updates that can be compacted into one state.
 */
export interface Storage {
  /** Every stored update of a room, oldest first (empty for a new room). */
  loadRoom(room: string): Promise<Uint8Array[]>;
  /**
   * Stores an update of a room. An adapter that writes at once (or queues for at most its
   * flush window) returns nothing; one that commits elsewhere returns a promise settled by
   * the commit, and the room relays the update only after it (an edit anyone has seen is stored).
   */
  appendUpdate(room: string, update: Uint8Array): void | Promise<void>;
  /**
   * Where a room's log stands now, for a compaction whose state is taken at this moment: the mark
   * names every record whose append was called before this call, and none called after it.
   */
  logMark(room: string): Promise<LogMark>;
  /**
   * Replaces a room's stored history by one state. Without `upTo` the state holds all of it. With
   * `upTo` (from {@link logMark}) it holds the records up to that mark, and those stored after the mark
   * stay, after it: a state encoded away from the event loop while people type loses none of their
   * words. A mark older than the room's last compaction leaves what that compaction stored.
   */
  compactRoom(room: string, state: Uint8Array, upTo?: LogMark): Promise<void>;
  /** How many updates a room's log holds since its last compaction. */
  pendingLogLength(room: string): number;

  createAgreement(record: AgreementRecord): Promise<void>;
  getAgreement(id: string): Promise<AgreementRecord | undefined>;
  addPerson(agreementId: string, person: PersonRecord): Promise<void>;
  /**
   * Changes one person as one atomic step against the agreement as stored now (not as a request
   * read it earlier): changes of one agreement's people run one after another, each seeing the
   * last one's result, on every instance. Undefined when the agreement or person does not exist.
   */
  updatePerson(agreementId: string, personId: string, change: PersonChange): Promise<PersonUpdate | undefined>;

  /** Appends one line to an agreement's audit log; never rewritten. */
  appendAudit(agreementId: string, entry: AuditEntry): Promise<void>;
  /** The agreement's audit log, oldest first. */
  listAudit(agreementId: string): Promise<AuditEntry[]>;

  /** Stores a snapshot; its `context` is kept beside it, not in the list. */
  saveSnapshot(record: SnapshotRecord, state: Uint8Array): Promise<void>;
  /** An agreement's snapshots, oldest first, without `context` (it can be megabytes each: loadSnapshot has it). */
  listSnapshots(agreementId: string): Promise<SnapshotRecord[]>;
  loadSnapshot(agreementId: string, id: string): Promise<{ record: SnapshotRecord; state: Uint8Array } | undefined>;
  /**
   * Per snapshot id, its stored state's size and a stamp that changes whenever the state is
   * written again, read without the states themselves: what lets a listing check each state once
   * (and again only when it changed), and the quota count bytes, without loading every state.
   */
  snapshotStates(agreementId: string): Promise<Map<string, StoredState>>;

  /** The token signing secret generated once and kept with the data (`generate` makes a new one). */
  loadSecret(generate: () => string): Promise<string>;

  /**
   * Resolves when the storage answers, throws StorageUnavailableError when it cannot be
   * reached (for `/api/health`). Absent where it is the process's own disk (lowdb).
   */
  probe?(): Promise<void>;

  /** Writes everything queued. */
  flush(): Promise<void>;
  /** Flushes and releases files. */
  close(): Promise<void>;
}
