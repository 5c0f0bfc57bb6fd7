/**
 * Answers a kind of request at most once per interval for one connection. A request inside
 * the interval is not dropped: the latest one is answered when the interval ends, so a client
 * that asks twice still gets an answer, while one that asks 250 times in a second gets two.
 */
export class ReplyThrottle {
  private readonly lastAt = new Map<string, number>();
  private readonly waiting = new Map<string, () => void>();
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(private readonly intervalMs: number) {}

  answer(kind: string, reply: () => void): void {
    const now = performance.now();
    const last = this.lastAt.get(kind);
    if (last === undefined || now - last >= this.intervalMs) {
      this.lastAt.set(kind, now);
      reply();
      return;
    }
    this.waiting.set(kind, reply);
    if (this.timers.has(kind)) return;
    const timer = setTimeout(
      () => {
        this.timers.delete(kind);
        const next = this.waiting.get(kind);
        this.waiting.delete(kind);
        if (!next) return;
        this.lastAt.set(kind, performance.now());
        next();
      },
      last + this.intervalMs - now,
    );
    this.timers.set(kind, timer);
  }

  /** Forgets every waiting answer (the connection left). */
  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.waiting.clear();
  }
}
