/**
 * A map that holds its `keep` most recently used entries and lets the others go: for what is kept
 * per agreement to save work (read again from storage when let go), which otherwise stayed for
 * every agreement used since the server started.
 */
export class RecentlyUsed<K, V> {
  /** In the order they were last used, the most recent last. */
  private readonly entries = new Map<K, V>();

  constructor(private readonly keep: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.keep) return;
      this.entries.delete(oldest);
    }
  }
}
