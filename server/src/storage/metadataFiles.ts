import { promises as fs, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { isValidId } from '#shared/rooms';
import type { SnapshotContext } from '#shared/snapshots';
import type { AgreementRecord, PersonChange, PersonRecord, PersonUpdate, SnapshotRecord } from './port';
import { writeFileAtomic } from './updateLog';
import { writeOrRefuse } from './unavailable';
import { RecentFiles } from './recentFiles';
import { readOrDamaged } from './damaged';

/**
 * Agreements whose files are held in memory at most: a few KB each (more with many people and
 * snapshots), and those asked about most often (open ones, at every request) stay.
 */
const DEFAULT_KEPT_AGREEMENTS = 1000;

/** The one file all metadata used to live in; split into per-agreement files on first open. */
const LEGACY_FILE = 'agreements.json';

/**
 * Agreement metadata as small lowdb JSON files, one per agreement, so a change rewrites only
 * its own agreement: `agreements/<id>.json`, and beside each agreement's snapshot states a
 * `snapshots/<id>/index.json` of their records and one `<snapshotId>.context.json` each (the
 * records room's stances and open threads at that moment, written once, read only when that
 * snapshot is opened).
 */
export class MetadataFiles {
  private readonly agreements: RecentFiles<AgreementRecord | null>;
  private readonly indexes: RecentFiles<SnapshotRecord[]>;

  private constructor(
    private readonly dataDir: string,
    keep: number,
  ) {
    this.agreements = new RecentFiles(keep);
    this.indexes = new RecentFiles(keep);
  }

  /** `keep`: how many agreements' files are held in memory at most (the others are read when asked for). */
  static async open(dataDir: string, { keep = DEFAULT_KEPT_AGREEMENTS }: { keep?: number } = {}): Promise<MetadataFiles> {
    await fs.mkdir(join(dataDir, 'agreements'), { recursive: true });
    const files = new MetadataFiles(dataDir, keep);
    await files.migrateLegacy();
    return files;
  }

  /** Runs `work` on an agreement's file, held meanwhile; `undefined` for an id that is none of ours. */
  private withAgreement<R>(id: string, work: (db: Low<AgreementRecord | null>) => R | Promise<R>): Promise<R | undefined> {
    // Ids come from URLs: only ours ever name a file.
    if (!isValidId(id)) return Promise.resolve(undefined);
    const open = async () => {
      const file = join(this.dataDir, 'agreements', `${id}.json`);
      const db = new Low<AgreementRecord | null>(new JSONFile(file), null);
      // Not kept when unreadable: each request reads it again, so a copy put back is served without a restart.
      await readOrDamaged(this.dataDir, file, () => db.read());
      return db;
    };
    return this.agreements.use(id, open, work);
  }

  private snapshotsDir(agreementId: string): string {
    return join(this.dataDir, 'snapshots', agreementId);
  }

  /** Runs `work` on an agreement's snapshot index, held meanwhile; `undefined` for an id that is none of ours. */
  private withIndex<R>(agreementId: string, work: (db: Low<SnapshotRecord[]>) => R | Promise<R>): Promise<R | undefined> {
    if (!isValidId(agreementId)) return Promise.resolve(undefined);
    const open = async () => {
      const file = join(this.snapshotsDir(agreementId), 'index.json');
      const db = new Low<SnapshotRecord[]>(new JSONFile(file), []);
      await readOrDamaged(this.dataDir, file, () => db.read());
      return db;
    };
    return this.indexes.use(agreementId, open, work);
  }

  /** How many agreements' files are held in memory (for tests). */
  get kept(): { agreements: number; indexes: number } {
    return { agreements: this.agreements.size, indexes: this.indexes.size };
  }

  async createAgreement(record: AgreementRecord): Promise<void> {
    if (!isValidId(record.id)) throw new Error(`not an agreement id: ${record.id}`);
    await this.withAgreement(record.id, async (db) => {
      db.data = record;
      try {
        await writeOrRefuse(() => db.write());
      } catch (err) {
        // Not on disk, so not to be served from memory either.
        this.agreements.forget(record.id);
        throw err;
      }
    });
  }

  /** Every agreement's metadata, read from its file (for moving them into another storage). */
  listAgreements(): AgreementRecord[] {
    const dir = join(this.dataDir, 'agreements');
    return readdirSync(dir)
      .filter((name) => name.endsWith('.json'))
      .map((name) => {
        try {
          return JSON.parse(readFileSync(join(dir, name), 'utf8')) as AgreementRecord | null;
        } catch (err) {
          // Moving data stops at a damaged file, saying which one, rather than moving the rest without it.
          throw new Error(`agreements/${name} is damaged and cannot be read (${(err as Error).message}); put it back from a backup, then move the data again`);
        }
      })
      .filter((record): record is AgreementRecord => record !== null);
  }

  /** A copy, as a database would hand out: a caller changing it must not change what is stored unwritten. */
  async getAgreement(id: string): Promise<AgreementRecord | undefined> {
    return (await this.withAgreement(id, (db) => (db.data ? structuredClone(db.data) : undefined))) ?? undefined;
  }

  async addPerson(agreementId: string, person: PersonRecord): Promise<void> {
    await this.withAgreement(agreementId, async (db) => {
      if (!db.data) return;
      const people = db.data.people;
      people.push(person);
      try {
        await writeOrRefuse(() => db.write());
      } catch (err) {
        // Not on disk: listed from memory, the person was shown to everyone until a restart, and stored by the next write.
        people.splice(people.indexOf(person), 1);
        throw err;
      }
    });
  }

  /**
   * Changes one person: `change` sees the stored record and its result replaces it with no await
   * in between, so nothing else can slip in; a failed write puts the person back. The caller
   * runs the changes of one agreement one after another (see LowdbStorage.updatePerson).
   */
  async updatePerson(agreementId: string, personId: string, change: PersonChange): Promise<PersonUpdate | undefined> {
    return this.withAgreement(agreementId, async (db) => {
      const agreement = db.data;
      const at = agreement?.people.findIndex((p) => p.id === personId) ?? -1;
      if (!agreement || at < 0) return undefined;
      const before = agreement.people[at];
      const after = change(before, agreement);
      if (!after) return { before, after, agreement: structuredClone(agreement) };
      agreement.people[at] = after;
      try {
        await writeOrRefuse(() => db.write());
      } catch (err) {
        if (agreement.people[at] === after) agreement.people[at] = before;
        throw err;
      }
      return { before, after, agreement: structuredClone(agreement) };
    });
  }

  /** Records a snapshot whose state is already stored: its context first, then its line in the index. */
  async saveSnapshot(record: SnapshotRecord): Promise<void> {
    const { context, ...listed } = record;
    if (!isValidId(record.agreementId) || !isValidId(record.id)) throw new Error(`not a snapshot id: ${record.agreementId}/${record.id}`);
    await fs.mkdir(this.snapshotsDir(record.agreementId), { recursive: true });
    if (context) await writeOrRefuse(() => writeFileAtomic(join(this.snapshotsDir(record.agreementId), `${record.id}.context.json`), JSON.stringify(context)));
    await this.withIndex(record.agreementId, async (db) => {
      db.data.push(listed);
      try {
        await writeOrRefuse(() => db.write());
      } catch (err) {
        db.data.splice(db.data.indexOf(listed), 1);
        throw err;
      }
    });
  }

  /** An agreement's snapshot records, oldest first, without their context. */
  async listSnapshots(agreementId: string): Promise<SnapshotRecord[]> {
    return (await this.withIndex(agreementId, (db) => [...db.data])) ?? [];
  }

  /** One snapshot record with its context. */
  async getSnapshot(agreementId: string, id: string): Promise<SnapshotRecord | undefined> {
    const record = await this.withIndex(agreementId, (db) => db.data.find((s) => s.id === id));
    if (!record) return undefined;
    const context = await fs.readFile(join(this.snapshotsDir(agreementId), `${id}.context.json`), 'utf8').then(
      (text) => JSON.parse(text) as SnapshotContext,
      () => undefined,
    );
    return context ? { ...record, context } : { ...record };
  }

  /** Splits the old single metadata file into per-agreement files, then sets it aside. */
  private async migrateLegacy(): Promise<void> {
    const legacy = join(this.dataDir, LEGACY_FILE);
    let data: { agreements?: AgreementRecord[]; snapshots?: SnapshotRecord[] };
    try {
      data = JSON.parse(await fs.readFile(legacy, 'utf8')) as typeof data;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const agreement of data.agreements ?? []) await this.createAgreement(agreement);
    for (const snapshot of data.snapshots ?? []) await this.saveSnapshot(snapshot);
    await fs.rename(legacy, `${legacy}.migrated`);
  }
}
