import { promises as fs, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { isValidId } from '#shared/rooms';
import type { SnapshotContext } from '#shared/snapshots';
import type { AgreementRecord, PersonChange, PersonRecord, PersonUpdate, SnapshotRecord } from './port';
import { writeFileAtomic } from './updateLog';
import { writeOrRefuse } from './unavailable';
import { readOrDamaged } from './damaged';

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
  private readonly agreements = new Map<string, Low<AgreementRecord | null>>();
  private readonly indexes = new Map<string, Low<SnapshotRecord[]>>();

  private constructor(private readonly dataDir: string) {}

  static async open(dataDir: string): Promise<MetadataFiles> {
    await fs.mkdir(join(dataDir, 'agreements'), { recursive: true });
    const files = new MetadataFiles(dataDir);
    await files.migrateLegacy();
    return files;
  }

  private async agreementDb(id: string): Promise<Low<AgreementRecord | null> | undefined> {
    // Ids come from URLs: only ours ever name a file.
    if (!isValidId(id)) return undefined;
    let db = this.agreements.get(id);
    if (!db) {
      const file = join(this.dataDir, 'agreements', `${id}.json`);
      const read = new Low<AgreementRecord | null>(new JSONFile(file), null);
      // Not kept when unreadable: each request reads it again, so a copy put back is served without a restart.
      await readOrDamaged(this.dataDir, file, () => read.read());
      db = read;
      this.agreements.set(id, db);
    }
    return db;
  }

  private snapshotsDir(agreementId: string): string {
    return join(this.dataDir, 'snapshots', agreementId);
  }

  private async indexDb(agreementId: string): Promise<Low<SnapshotRecord[]> | undefined> {
    if (!isValidId(agreementId)) return undefined;
    let db = this.indexes.get(agreementId);
    if (!db) {
      const file = join(this.snapshotsDir(agreementId), 'index.json');
      const read = new Low<SnapshotRecord[]>(new JSONFile(file), []);
      await readOrDamaged(this.dataDir, file, () => read.read());
      db = read;
      this.indexes.set(agreementId, db);
    }
    return db;
  }

  async createAgreement(record: AgreementRecord): Promise<void> {
    const db = await this.agreementDb(record.id);
    if (!db) throw new Error(`not an agreement id: ${record.id}`);
    db.data = record;
    try {
      await writeOrRefuse(() => db.write());
    } catch (err) {
      // Not on disk, so not to be served from memory either.
      this.agreements.delete(record.id);
      throw err;
    }
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
    const record = (await this.agreementDb(id))?.data;
    return record ? structuredClone(record) : undefined;
  }

  async addPerson(agreementId: string, person: PersonRecord): Promise<void> {
    const db = await this.agreementDb(agreementId);
    if (!db?.data) return;
    const people = db.data.people;
    people.push(person);
    try {
      await writeOrRefuse(() => db.write());
    } catch (err) {
      // Not on disk: listed from memory, the person was shown to everyone until a restart, and stored by the next write.
      people.splice(people.indexOf(person), 1);
      throw err;
    }
  }

  /**
   * Changes one person: `change` sees the stored record and its result replaces it with no await
   * in between, so nothing else can slip in; a failed write puts the person back. The caller
   * runs the changes of one agreement one after another (see LowdbStorage.updatePerson).
   */
  async updatePerson(agreementId: string, personId: string, change: PersonChange): Promise<PersonUpdate | undefined> {
    const db = await this.agreementDb(agreementId);
    const agreement = db?.data;
    const at = agreement?.people.findIndex((p) => p.id === personId) ?? -1;
    if (!db || !agreement || at < 0) return undefined;
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
  }

  /** Records a snapshot whose state is already stored: its context first, then its line in the index. */
  async saveSnapshot(record: SnapshotRecord): Promise<void> {
    const { context, ...listed } = record;
    const db = await this.indexDb(record.agreementId);
    if (!db || !isValidId(record.id)) throw new Error(`not a snapshot id: ${record.agreementId}/${record.id}`);
    await fs.mkdir(this.snapshotsDir(record.agreementId), { recursive: true });
    if (context) await writeOrRefuse(() => writeFileAtomic(join(this.snapshotsDir(record.agreementId), `${record.id}.context.json`), JSON.stringify(context)));
    db.data.push(listed);
    try {
      await writeOrRefuse(() => db.write());
    } catch (err) {
      db.data.splice(db.data.indexOf(listed), 1);
      throw err;
    }
  }

  /** An agreement's snapshot records, oldest first, without their context. */
  async listSnapshots(agreementId: string): Promise<SnapshotRecord[]> {
    return [...((await this.indexDb(agreementId))?.data ?? [])];
  }

  /** One snapshot record with its context. */
  async getSnapshot(agreementId: string, id: string): Promise<SnapshotRecord | undefined> {
    const record = (await this.indexDb(agreementId))?.data.find((s) => s.id === id);
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
