import { createRequire } from 'node:module';

type Done = (err: Error | null, result: { current: number; ttl: number }) => void;
interface RateStore {
  incr(key: string, done: Done, timeWindow: number, max: number): void;
  read(key: string, done: Done, timeWindow: number, max?: number): void;
}

// @fastify/rate-limit's own in-memory store (it ships no types for it).
const LocalStore = createRequire(import.meta.url)('@fastify/rate-limit/store/LocalStore.js') as new (
  continueExceeding: boolean,
  exponentialBackoff: boolean,
  cache: number,
) => RateStore;

/**
 * One in-memory store for every limited route. The plugin gives each route a store of its own,
 * so a limit spread over several routes ("comments per person": threads, replies, edits) was
 * counted once per route; here keys name the limit, so those routes share one count.
 */
export class SharedRateStore implements RateStore {
  private readonly counts: RateStore;

  constructor(options: { cache?: number }) {
    // Every route's keys live here: room for more of them than one route's default of 5,000.
    this.counts = new LocalStore(false, false, options.cache ?? 50_000);
  }

  incr(key: string, done: Done, timeWindow: number, max: number): void {
    this.counts.incr(key, done, timeWindow, max);
  }

  read(key: string, done: Done, timeWindow: number, max?: number): void {
    this.counts.read(key, done, timeWindow, max);
  }

  /** Called once per limited route: every route counts in the same store. */
  child(): SharedRateStore {
    return this;
  }
}
