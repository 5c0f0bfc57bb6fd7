import { ErrorCode } from '#shared/errors';
import { conflict } from '../../errors';
import type { SnapshotRecord, Storage } from '../../storage/port';
import { RecentlyUsed } from '../../recentlyUsed';

/** Agreements whose tallies (and checked fingerprints, service.ts) are held in memory at most. */
export const KEPT_AGREEMENTS = 1000;

/**
 * What one agreement's snapshots may hold. A snapshot stores the whole text for good (they are
 * records: never changed nor deleted), and every listing of the history loads and verifies each
 * stored state, so both their number and their bytes are bounded. A 50-page agreement's state is
 * 100 KB to 1 MB: the defaults keep years of sessions, phases and hand-taken snapshots.
 */
export interface SnapshotCaps {
  maxSnapshots: number;
  maxBytes: number;
}

export const DEFAULT_SNAPSHOT_CAPS: SnapshotCaps = { maxSnapshots: 2000, maxBytes: 1024 * 1024 * 1024 };

/**
 * Share of each cap one person may take (the snapshots they took, or that their action kept: a
 * session they ended, a restore), as for threads: the caps are for everyone together, and one
 * person's loop (12 a minute) must not fill them for the rest.
 */
export const PERSON_SHARE = 1 / 4;

interface Taken {
  count: number;
  bytes: number;
}

/** One agreement's stored snapshots: sizes by id, and totals in all and by person. */
class Tally {
  private readonly sizes = new Map<string, { person: string; bytes: number }>();
  private readonly all: Taken = { count: 0, bytes: 0 };
  private readonly byPerson = new Map<string, Taken>();

  has(id: string): boolean {
    return this.sizes.has(id);
  }

  add(id: string, person: string, bytes: number): void {
    if (this.sizes.has(id)) return;
    this.sizes.set(id, { person, bytes });
    const mine = this.byPerson.get(person) ?? { count: 0, bytes: 0 };
    this.byPerson.set(person, { count: mine.count + 1, bytes: mine.bytes + bytes });
    this.all.count++;
    this.all.bytes += bytes;
  }

  /** Refuses (409) one more snapshot of `bytes` by `person` past the agreement's caps or the person's share. */
  admit(caps: SnapshotCaps, person: string, bytes: number): void {
    const { all } = this;
    if (all.count + 1 > caps.maxSnapshots || all.bytes + bytes > caps.maxBytes) {
      throw conflict(
        ErrorCode.TooManySnapshots,
        `this agreement keeps at most ${caps.maxSnapshots} snapshots and ${size(caps.maxBytes)} of them, and holds ${all.count} (${size(all.bytes)}); ` +
          'snapshots are never deleted: the server’s operator can raise the cap (MAX_SNAPSHOTS, MAX_SNAPSHOT_BYTES)',
      );
    }
    const mine = this.byPerson.get(person) ?? { count: 0, bytes: 0 };
    const count = Math.floor(caps.maxSnapshots * PERSON_SHARE);
    const space = Math.floor(caps.maxBytes * PERSON_SHARE);
    if (mine.count + 1 > count || mine.bytes + bytes > space) {
      throw conflict(
        ErrorCode.TooManySnapshots,
        `you have taken your share of this agreement's snapshots (${mine.count} of ${count}, ${size(mine.bytes)} of ${size(space)}); the others can still take theirs`,
      );
    }
  }
}

/**
 * Keeps each agreement's snapshot sizes, read from storage the first time it is asked about and
 * brought up to date from its list each time (another instance may have stored some), and refuses
 * a snapshot past the caps. Callers hold the agreement's snapshot lock from `tally` to `add`.
 */
export class SnapshotQuota {
  /** The tallies of the agreements asked about last (one let go is counted again from storage). */
  private readonly tallies: RecentlyUsed<string, Tally>;

  constructor(
    private readonly storage: Storage,
    private readonly caps: SnapshotCaps,
    keep = KEPT_AGREEMENTS,
  ) {
    this.tallies = new RecentlyUsed(keep);
  }

  /** How many agreements' tallies it holds (for tests). */
  get agreementsKept(): number {
    return this.tallies.size;
  }

  /** The agreement's tally, with every stored record in `records` (its list, oldest first) counted. */
  async tally(
    agreementId: string,
    records: readonly SnapshotRecord[],
  ): Promise<{ admit(person: string, bytes: number): void; add(id: string, person: string, bytes: number): void }> {
    let tally = this.tallies.get(agreementId);
    if (!tally) {
      tally = new Tally();
      this.tallies.set(agreementId, tally);
    }
    const uncounted = records.filter((record) => !tally.has(record.id));
    if (uncounted.length > 0) {
      const stored = await this.storage.snapshotStates(agreementId);
      // A state missing from storage still took its place in the list: counted with no bytes.
      for (const record of uncounted) tally.add(record.id, record.createdBy.personId, stored.get(record.id)?.bytes ?? 0);
    }
    const counted = tally;
    return {
      admit: (person, bytes) => counted.admit(this.caps, person, bytes),
      add: (id, person, bytes) => counted.add(id, person, bytes),
    };
  }
}

/** Bytes for a message: KB under a megabyte, MB to one decimal above. */
function size(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${Math.round((bytes / 1048576) * 10) / 10} MB`;
}
