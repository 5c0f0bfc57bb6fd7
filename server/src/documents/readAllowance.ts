/** How much of the server's own priority each person's reads of the text may use a minute, by default. */
export const DEFAULT_READ_ALLOWANCE_MS_PER_MINUTE = 5_000;

const WINDOW_MS = 60_000;

/**
 * Each person's time of reading the live text at the server's own priority, per minute.
 *
 * A stance, a consent round or the objectives list waits on a read of the whole text (30 ms for 60 pages,
 * several hundred for a text reworded for months). At the lowest priority that read starved whenever other work
 * kept the cores busy: on two busy cores a stance took 0.9 to 1.5 s instead of 30 to 115 ms
 * (bench/personWaitedReads.ts). At the server's priority it competes with every room's sync, so it is rationed:
 * a person's reads run there while their minute's allowance lasts (a hundred stances on 60 pages), and beyond it in
 * the background, where a program that reads in a loop only takes the cores nobody else wants.
 */
export class ReadAllowance {
  private readonly spent = new Map<string, { since: number; ms: number }>();
  private sweptAt = 0;

  constructor(
    private readonly msPerMinute = DEFAULT_READ_ALLOWANCE_MS_PER_MINUTE,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Whether this person's next read may run at the server's priority. */
  allows(person: string): boolean {
    return this.current(person).ms < this.msPerMinute;
  }

  /** Counts a read's time (the worker's own, not the wait for it) against the person's minute. */
  spend(person: string, ms: number): void {
    this.current(person).ms += ms;
  }

  /** The person's minute, begun afresh once the last one is over; once a minute, people with none under way are forgotten. */
  private current(person: string) {
    const now = this.now();
    if (now - this.sweptAt >= WINDOW_MS) {
      this.sweptAt = now;
      for (const [who, minute] of this.spent) if (now - minute.since >= WINDOW_MS) this.spent.delete(who);
    }
    let minute = this.spent.get(person);
    if (!minute || now - minute.since >= WINDOW_MS) {
      minute = { since: now, ms: 0 };
      this.spent.set(person, minute);
    }
    return minute;
  }
}
