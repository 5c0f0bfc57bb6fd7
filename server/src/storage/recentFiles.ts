import type { Low } from 'lowdb';

/**
 * The lowdb files of the agreements used last, up to `keep` of them: each read once and kept,
 * they stayed in memory for every agreement opened since the server started. One let go is read
 * again, whole, when next asked for. A file in use (read, changed or written) is never let go: a
 * second copy read meanwhile could find it as it was, and its next write would undo the change.
 */
export class RecentFiles<T> {
  /** In the order they were last used, the most recent last. */
  private readonly files = new Map<string, Low<T>>();
  /** Uses under way by key. */
  private readonly using = new Map<string, number>();

  constructor(private readonly keep: number) {}

  get size(): number {
    return this.files.size;
  }

  /** Runs `work` on the file under `key` (opened with `open` unless it is held), held until `work` is done. */
  async use<R>(key: string, open: () => Promise<Low<T>>, work: (db: Low<T>) => R | Promise<R>): Promise<R> {
    this.using.set(key, (this.using.get(key) ?? 0) + 1);
    try {
      // Opened twice at once: both get the first copy, so neither's change is lost to the other.
      const db = this.files.get(key) ?? (await open());
      const held = this.files.get(key) ?? db;
      this.files.delete(key);
      this.files.set(key, held);
      return await work(held);
    } finally {
      const left = this.using.get(key)! - 1;
      if (left > 0) this.using.set(key, left);
      else this.using.delete(key);
      this.letGoOfOldest();
    }
  }

  forget(key: string): void {
    this.files.delete(key);
  }

  private letGoOfOldest(): void {
    for (const key of this.files.keys()) {
      if (this.files.size <= this.keep) return;
      if (!this.using.has(key)) this.files.delete(key);
    }
  }
}
