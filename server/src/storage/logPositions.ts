/**
 * Numbers the records of each room's log in the order they were appended, so that a compaction can
 * name the prefix its state holds (Storage.logMark) and keep the records after it. Within a room the
 * numbers only grow, across compactions too: a log begun after a compaction of everything starts
 * above every number handed out before, with a gap, so a mark from before that compaction can never
 * be taken for one after it. Only rooms whose log holds something (or that were just marked) are noted.
 */
export class LogPositions {
  /** The highest number handed out (or skipped) in any room: new logs start above it. */
  private clock = 0;
  /** Per room: the number its next record gets, and how many records its log holds (the last `count` numbers). */
  private readonly rooms = new Map<string, { next: number; count: number }>();

  /** Rooms noted (for tests: a closed room leaves nothing behind). */
  get size(): number {
    return this.rooms.size;
  }

  /** Records in a room's log, written or still in memory. */
  count(room: string): number {
    return this.rooms.get(room)?.count ?? 0;
  }

  /** A log read at load holds `count` records: numbered unless the room is noted already (this process appended them). */
  loaded(room: string, count: number): void {
    if (count > 0 && !this.rooms.has(room)) this.rooms.set(room, { next: this.clock + 1 + count, count });
    this.clock = Math.max(this.clock, (this.rooms.get(room)?.next ?? 1) - 1);
  }

  /** `count` records were appended to a room's log. */
  appended(room: string, count = 1): void {
    const entry = this.entry(room);
    entry.next += count;
    entry.count += count;
    this.clock = Math.max(this.clock, entry.next - 1);
  }

  /** The number of a room's last record: a mark covering every record appended so far. */
  mark(room: string): number {
    return this.entry(room).next - 1;
  }

  /**
   * How many of a room's oldest records `mark` covers; undefined when a compaction since the mark
   * has replaced records after it (its state is newer than the mark's).
   */
  covered(room: string, mark: number): number | undefined {
    const entry = this.rooms.get(room);
    if (!entry) return undefined;
    const covered = mark - (entry.next - entry.count) + 1;
    return covered < 0 ? undefined : Math.min(covered, entry.count);
  }

  /** The oldest `count` records left the log (a compaction holds them). */
  dropped(room: string, count: number): void {
    const entry = this.rooms.get(room);
    if (!entry) return;
    entry.count -= count;
    if (entry.count <= 0) this.forget(room);
  }

  /** The whole log is gone; whatever is appended next starts a new one, numbered above this one with a gap. */
  forget(room: string): void {
    const entry = this.rooms.get(room);
    if (!entry) return;
    this.clock = Math.max(this.clock, entry.next);
    this.rooms.delete(room);
  }

  private entry(room: string): { next: number; count: number } {
    let entry = this.rooms.get(room);
    if (!entry) {
      entry = { next: this.clock + 1, count: 0 };
      this.rooms.set(room, entry);
    }
    return entry;
  }
}
