/**
 * Runs the work given under one key one piece after another, in the order it was given; work
 * under different keys runs side by side. Each caller gets its own result or failure; a failure
 * does not stop the work queued after it.
 */
export class SerialByKey {
  private readonly tails = new Map<string, Promise<void>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const next = (this.tails.get(key) ?? Promise.resolve()).then(work);
    const settled = next.then(
      () => {},
      () => {},
    );
    this.tails.set(key, settled);
    // Forget a key once its queue is empty, so keys seen once do not pile up.
    void settled.then(() => {
      if (this.tails.get(key) === settled) this.tails.delete(key);
    });
    return next;
  }

  /** Whether work under `key` is queued or under way. */
  busy(key: string): boolean {
    return this.tails.has(key);
  }

  /** Settles once the work queued under `key` so far is done. */
  async idle(key: string): Promise<void> {
    await this.tails.get(key);
  }

  /** Settles once all the work queued so far is done. */
  async allIdle(): Promise<void> {
    await Promise.all([...this.tails.values()]);
  }
}
