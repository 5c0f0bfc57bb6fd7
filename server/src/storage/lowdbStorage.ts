import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { AuditEntry } from '#shared/access';
import type { AgreementRecord, PersonChange, PersonRecord, PersonUpdate, SnapshotRecord, Storage, StoredState } from './port';
import { MetadataFiles } from './metadataFiles';
import { encodeFrames, readLog, writeFileAtomic } from './updateLog';
import { SerialByKey } from '../serialByKey';
import { diskRefused, writeOrRefuse } from './unavailable';
import { LogFiles, type AppendSync } from './logFiles';

export interface LowdbStorageOptions {
  dataDir: string;
  /** Longest time an update waits in memory before it is written (default 20 ms). */
  flushIntervalMs?: number;
  /** Told about write failures: a queued write is retried, an update written at once is refused (see appendUpdate). */
  onError?: (err: unknown) => void;
  /** Told when a room's log held damage between intact updates (see readLog): a person should look at the file kept. */
  onDamage?: (message: string) => void;
  /** Appends bytes to an open log (node's `writeSync`; a test stands a full disk in for it). */
  writeSync?: AppendSync;
}

/**
 * The embedded default: metadata in small lowdb JSON files, one per agreement (see
 * MetadataFiles), and each room's Yjs updates in an append-only log beside a compacted
 * state file, because lowdb rewrites its whole file on every write and must not see every
 * keystroke.
 */
export class LowdbStorage implements Storage {
  private readonly dataDir: string;
  private readonly roomsDir: string;
  private readonly snapshotsDir: string;
  private readonly auditDir: string;
  private readonly flushIntervalMs: number;
  private readonly onError: (err: unknown) => void;
  private readonly logs: LogFiles;
  private readonly onDamage: (message: string) => void;
  private readonly queued = new Map<string, Uint8Array[]>();
  /** Updates taken from the queue whose write has not finished yet. */
  private readonly writing = new Map<string, Uint8Array[][]>();
  private readonly chains = new SerialByKey();
  private readonly logLengths = new Map<string, number>();
  /** Rooms whose relayed updates wait in the queue after the disk refused them: nothing more is taken for them until a retry writes those. */
  private readonly refused = new Set<string>();
  private flushTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly metadata: MetadataFiles,
    options: LowdbStorageOptions,
  ) {
    this.dataDir = options.dataDir;
    this.roomsDir = join(options.dataDir, 'rooms');
    this.snapshotsDir = join(options.dataDir, 'snapshots');
    this.auditDir = join(options.dataDir, 'audit');
    this.flushIntervalMs = options.flushIntervalMs ?? 20;
    this.onError = options.onError ?? ((err) => console.error(err));
    this.logs = new LogFiles((room) => this.logPath(room), options.writeSync);
    this.onDamage = options.onDamage ?? ((message) => console.warn(message));
  }

  static async open(options: LowdbStorageOptions): Promise<LowdbStorage> {
    await fs.mkdir(join(options.dataDir, 'rooms'), { recursive: true });
    await fs.mkdir(join(options.dataDir, 'snapshots'), { recursive: true });
    await fs.mkdir(join(options.dataDir, 'audit'), { recursive: true });
    return new LowdbStorage(await MetadataFiles.open(options.dataDir), options);
  }

  private statePath(room: string): string {
    return join(this.roomsDir, `${room}.state`);
  }

  private logPath(room: string): string {
    return join(this.roomsDir, `${room}.log`);
  }

  /** Runs file work of one room in order, so appends and compactions never interleave. */
  private serial(room: string, work: () => Promise<void>): Promise<void> {
    return this.chains.run(room, work);
  }

  async loadRoom(room: string): Promise<Uint8Array[]> {
    let updates: Uint8Array[] = [];
    await this.serial(room, async () => {
      const state = await readOptional(this.statePath(room));
      const log = await readLog(this.logPath(room), this.onDamage);
      this.noteLogLength(room, log.length);
      // Updates not yet on disk belong to the room too (a reload right after an edit).
      const unwritten = [...(this.writing.get(room) ?? []).flat(), ...(this.queued.get(room) ?? [])];
      updates = [...(state ? [state] : []), ...log, ...unwritten];
    });
    return updates;
  }

  /**
   * Writes the update at once when nothing else is under way for the room, so an update
   * is on disk before it is relayed (the room calls this before broadcasting). While a
   * load, compaction or earlier write of the room is pending, it waits in memory, in
   * order, for at most the flush interval. An update the disk refuses (full, read-only) throws
   * StorageUnavailableError ({@link diskRefused}), with nothing of it left in the log.
   */
  appendUpdate(room: string, update: Uint8Array): void {
    if (this.refused.has(room)) throw diskRefused(new Error('earlier updates still wait for the disk'));
    if (!this.chains.busy(room) && !this.queued.has(room) && !this.writing.has(room)) {
      try {
        this.logs.append(room, encodeFrames([update]));
      } catch (err) {
        // Not stored, so not to be relayed as stored (the room drops its clients, 1013): each writer
        // keeps its own edits and sends them again when it resyncs. Queued and retried instead, it
        // went to everyone as if stored, and was lost with the process while the disk stayed full.
        this.onError(err);
        throw diskRefused(err);
      }
      this.logLengths.set(room, (this.logLengths.get(room) ?? 0) + 1);
      return;
    }
    const list = this.queued.get(room);
    if (list) list.push(update);
    else this.queued.set(room, [update]);
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush();
    }, this.flushIntervalMs);
  }

  /** Only logs holding something are noted: a note for every room ever opened would stay for good. */
  private noteLogLength(room: string, length: number): void {
    if (length > 0) this.logLengths.set(room, length);
    else this.logLengths.delete(room);
  }

  /** Rooms whose log length it keeps (for tests). */
  get roomsTracked(): number {
    return this.logLengths.size;
  }

  pendingLogLength(room: string): number {
    return (this.logLengths.get(room) ?? 0) + (this.queued.get(room)?.length ?? 0);
  }

  async compactRoom(room: string, state: Uint8Array): Promise<void> {
    await this.serial(room, async () => {
      await writeFileAtomic(this.statePath(room), state);
      // A crash between these two lines leaves the old log beside the new state:
      // replaying it onto the state is harmless because Yjs updates are idempotent.
      this.logs.close(room);
      await fs.rm(this.logPath(room), { force: true });
      this.noteLogLength(room, 0);
    });
  }

  async flush(): Promise<void> {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
    }
    const batches = [...this.queued];
    this.queued.clear();
    for (const [room, updates] of batches) {
      const writing = this.writing.get(room);
      if (writing) writing.push(updates);
      else this.writing.set(room, [updates]);
    }
    await Promise.all(batches.map(([room, updates]) => this.serial(room, () => this.writeLog(room, updates))));
  }

  private async writeLog(room: string, updates: Uint8Array[]): Promise<void> {
    try {
      // Synchronous on purpose: a few kB into the page cache takes microseconds, and it
      // does not wait behind other work in libuv's thread pool, which under load can take
      // longer than the durability window.
      this.logs.append(room, encodeFrames(updates));
      this.logLengths.set(room, (this.logLengths.get(room) ?? 0) + updates.length);
      this.refused.delete(room);
    } catch (err) {
      // Keep the data (it was relayed): put it back in front of anything queued since, and retry
      // later; meanwhile the room's next update is refused rather than relayed unstored.
      this.queued.set(room, [...updates, ...(this.queued.get(room) ?? [])]);
      this.refused.add(room);
      this.onError(err);
      this.flushTimer ??= setTimeout(() => {
        this.flushTimer = undefined;
        void this.flush();
      }, 1000);
    } finally {
      const writing = this.writing.get(room) ?? [];
      writing.splice(writing.indexOf(updates), 1);
      if (writing.length === 0) this.writing.delete(room);
    }
  }

  createAgreement(record: AgreementRecord): Promise<void> {
    return this.metadata.createAgreement(record);
  }

  getAgreement(id: string): Promise<AgreementRecord | undefined> {
    return this.metadata.getAgreement(id);
  }

  addPerson(agreementId: string, person: PersonRecord): Promise<void> {
    return this.chains.run(`people:${agreementId}`, () => this.metadata.addPerson(agreementId, person));
  }

  /** One process holds the file: one agreement's people change one at a time, each after the last one's write (undone if it failed). */
  updatePerson(agreementId: string, personId: string, change: PersonChange): Promise<PersonUpdate | undefined> {
    return this.chains.run(`people:${agreementId}`, () => this.metadata.updatePerson(agreementId, personId, change));
  }

  /**
   * The audit log is one JSON line per entry in its own file: appended, never rewritten,
   * so it neither grows the agreement's metadata file (rewritten whole on every write) nor can be lost by it.
   */
  appendAudit(agreementId: string, entry: AuditEntry): Promise<void> {
    return this.serial(`audit:${agreementId}`, () => fs.appendFile(this.auditPath(agreementId), `${JSON.stringify(entry)}\n`));
  }

  async listAudit(agreementId: string): Promise<AuditEntry[]> {
    await this.chains.idle(`audit:${agreementId}`);
    const raw = await readOptional(this.auditPath(agreementId));
    if (!raw) return [];
    const lines = new TextDecoder().decode(raw).split('\n');
    const entries: AuditEntry[] = [];
    for (const line of lines) {
      // A torn last line (a crash mid-append) is skipped, not fatal.
      try {
        if (line) entries.push(JSON.parse(line) as AuditEntry);
      } catch {
        continue;
      }
    }
    return entries;
  }

  private auditPath(agreementId: string): string {
    return join(this.auditDir, `${agreementId}.jsonl`);
  }

  async saveSnapshot(record: SnapshotRecord, state: Uint8Array): Promise<void> {
    const dir = join(this.snapshotsDir, record.agreementId);
    await fs.mkdir(dir, { recursive: true });
    // The state first: a listed snapshot must always be openable.
    await writeOrRefuse(() => writeFileAtomic(join(dir, `${record.id}.ydoc`), state));
    await this.metadata.saveSnapshot(record);
  }

  listSnapshots(agreementId: string): Promise<SnapshotRecord[]> {
    return this.metadata.listSnapshots(agreementId);
  }

  async loadSnapshot(agreementId: string, id: string): Promise<{ record: SnapshotRecord; state: Uint8Array } | undefined> {
    const record = await this.metadata.getSnapshot(agreementId, id);
    if (!record) return undefined;
    const state = await readOptional(join(this.snapshotsDir, agreementId, `${id}.ydoc`));
    return state ? { record, state } : undefined;
  }

  async snapshotStates(agreementId: string): Promise<Map<string, StoredState>> {
    const dir = join(this.snapshotsDir, agreementId);
    const names = (await fs.readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.ydoc'));
    const states = new Map<string, StoredState>();
    await Promise.all(
      names.map(async (name) => {
        const file = await fs.stat(join(dir, name), { bigint: true }).catch(() => undefined);
        // The change time moves with every write or rename and cannot be set back (as the
        // modification time can): a state replaced on disk gets a new stamp whatever is done to it.
        if (file) states.set(name.slice(0, -'.ydoc'.length), { bytes: Number(file.size), stamp: `${file.ino}:${file.size}:${file.mtimeNs}:${file.ctimeNs}` });
      }),
    );
    return states;
  }

  /** Every agreement kept here (for moving them into another storage). */
  listAgreements(): AgreementRecord[] {
    return this.metadata.listAgreements();
  }

  /** The name of every room with a state file or a log here. */
  async listRooms(): Promise<string[]> {
    const files = await fs.readdir(this.roomsDir);
    return [...new Set(files.filter((f) => /\.(state|log)$/.test(f)).map((f) => f.replace(/\.(state|log)$/, '')))].sort();
  }

  /**
   * Kept in `DATA_DIR/auth-secret`, readable by the owner alone. Made only when there is none: a
   * damaged one replaced by a new one ended every link ever given out, the brokers' own among them,
   * and nobody was left who could give new ones.
   */
  async loadSecret(generate: () => string): Promise<string> {
    const path = join(this.dataDir, 'auth-secret');
    try {
      const existing = (await fs.readFile(path, 'utf8')).trim();
      if (existing.length >= 32) return existing;
      throw new Error(
        `${path} is damaged (${existing.length} characters, at least 32 expected): put it back from a backup, or remove it to make a new one (every link given out so far then stops working)`,
      );
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    const secret = generate();
    await writeFileAtomic(path, secret);
    await fs.chmod(path, 0o600);
    return secret;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.chains.allIdle();
    this.logs.closeAll();
  }
}

async function readOptional(path: string): Promise<Uint8Array | undefined> {
  try {
    return new Uint8Array(await fs.readFile(path));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
