/** How much of the server's own priority each person's document work may use a minute, by default. */
export const DEFAULT_READ_ALLOWANCE_MS_PER_MINUTE = 5_000;

const WINDOW_MS = 60_000;

/**
 * Each person's time of document work at the server's own priority, per minute (personWork.ts).
 *
 * A stance, a consent round or the objectives list waits on a read of the whole text (30 ms for 60 pages,
 * several hundred for a text reworded for months), a snapshot on its fingerprint. At the lowest priority that
 * work starved whenever other work kept the cores busy: on two busy cores a stance took 0.9 to 1.5 s instead of
 * 30 to 115 ms, a snapshot 0.6 to 0.9 s instead of 20 to 80 (bench/personWaitedReads.ts). At the server's
 * priority it competes with every room's sync, so it is rationed: a person's work runs there while their minute's
 * allowance lasts (a hundred stances on 60 pages), and beyond it in the background, where a program that asks in a
 * loop only takes the cores nobody else wants.
 */
export class ReadAllowance {
  private readonly spent = new Map<string, { since: number; ms: number }>();
  private sweptAt = 0;

  constructor(
    private readonly msPerMinute = DEFAULT_READ_ALLOWANCE_MS_PER_MINUTE,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Whether this person's next job may run at the server's priority. */
  allows(person: string): boolean {
    return this.current(person).ms < this.msPerMinute;
  }

  /** Counts a job's time against the person's minute. */
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
