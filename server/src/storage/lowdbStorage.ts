import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import type { AuditEntry } from '#shared/access';
import type { AgreementRecord, LogMark, PersonChange, PersonRecord, PersonUpdate, SnapshotRecord, Storage, StoredState } from './port';
import { MetadataFiles } from './metadataFiles';
import { decodeFrames, encodeFrames, readLog, writeFileAtomic } from './updateLog';
import { SerialByKey } from '../serialByKey';
import { diskRefused, writeOrRefuse } from './unavailable';
import { LogFiles, type AppendSync } from './logFiles';
import { LogPositions } from './logPositions';

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
  /** Each room's log records, numbered (written or still in memory), for compactions that keep a tail. */
  private readonly positions = new LogPositions();
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
      // Updates not yet on disk belong to the room too (a reload right after an edit).
      const unwritten = this.unwritten(room);
      this.positions.loaded(room, log.length + unwritten.length);
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
      this.positions.appended(room);
      return;
    }
    this.positions.appended(room);
    const list = this.queued.get(room);
    if (list) list.push(update);
    else this.queued.set(room, [update]);
    this.flushTimer ??= setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush();
    }, this.flushIntervalMs);
  }

  /** A room's updates taken for writing or queued, oldest first: the newest records of its log. */
  private unwritten(room: string): Uint8Array[] {
    return [...(this.writing.get(room) ?? []).flat(), ...(this.queued.get(room) ?? [])];
  }

  /** Rooms whose log it keeps a note of (for tests: only logs holding something are noted). */
  get roomsTracked(): number {
    return this.positions.size;
  }

  pendingLogLength(room: string): number {
    return this.positions.count(room);
  }

  /** The number of the room's last record: appends are counted as they are called, written or queued. */
  logMark(room: string): Promise<LogMark> {
    return Promise.resolve(this.positions.mark(room) as LogMark);
  }

  async compactRoom(room: string, state: Uint8Array, upTo?: LogMark): Promise<void> {
    await this.serial(room, async () => {
      // Appends wait in memory while this runs (the room's work is serial), so the file stays as read.
      const log = upTo === undefined ? [] : decodeFrames(await readOrEmpty(this.logPath(room))).payloads;
      const unwritten = this.unwritten(room).length;
      let covered = upTo === undefined ? log.length : this.positions.covered(room, upTo);
      if (covered === undefined) return; // a later compaction holds more than this state: keep it
      if (upTo !== undefined && log.length + unwritten !== this.positions.count(room)) {
        // The file is not the log it numbered (another process wrote it?): keep every record, renumber them, and leave
        // the stored state as it is (whatever it holds that this state lacks stays, and the next compaction covers it).
        this.positions.forget(room);
        this.positions.appended(room, log.length + unwritten);
        return;
      }
      // Covered records still in memory are written after this: harmless duplicates (Yjs updates are idempotent).
      covered = Math.min(covered, log.length);
      await writeFileAtomic(this.statePath(room), state);
      // A crash between the state and the log leaves the old log beside the new state: replaying records
      // the state holds is harmless. The tail is written whole to a new file, so a crash leaves one log or the other.
      this.logs.close(room);
      const tail = log.slice(covered);
      if (tail.length > 0) await writeFileAtomic(this.logPath(room), encodeFrames(tail));
      else await fs.rm(this.logPath(room), { force: true });
      if (upTo === undefined) {
        this.positions.forget(room);
        if (unwritten > 0) this.positions.appended(room, unwritten);
      } else this.positions.dropped(room, covered);
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

/** A file's bytes, none when it does not exist. */
async function readOrEmpty(path: string): Promise<Buffer> {
  try {
    return await fs.readFile(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0);
    throw err;
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
