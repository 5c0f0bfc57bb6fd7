/** How much one connection may send; 0 switches a dimension off. */
export interface RateLimit {
  /** Sustained websocket messages per second. */
  messagesPerSecond: number;
  /** Sustained bytes per second. */
  bytesPerSecond: number;
  /** How many seconds of the sustained rate may arrive at once (typing bursts, a first sync). */
  burstSeconds: number;
}

/** Far above typing and cursor moves (a fast typist sends ~30 messages a second with awareness). */
export const DEFAULT_RATE_LIMIT: RateLimit = { messagesPerSecond: 200, bytesPerSecond: 1024 * 1024, burstSeconds: 5 };

/**
 * Token buckets for one connection's messages and bytes. A connection that runs either dry
 * is closed with 1013 (Try Again Later): the stock client reconnects and resyncs, so a real
 * user loses nothing, while a flood stops costing the room anything.
 */
export class ConnectionBudget {
  private readonly messageCap: number;
  private readonly byteCap: number;
  private messages: number;
  private bytes: number;
  private last: number;

  constructor(
    private readonly limit: RateLimit,
    /** Bytes that must always fit at once (the largest legal message). */
    minByteBurst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.messageCap = Math.max(1, limit.messagesPerSecond * limit.burstSeconds);
    this.byteCap = Math.max(limit.bytesPerSecond * limit.burstSeconds, minByteBurst);
    this.messages = this.messageCap;
    this.bytes = this.byteCap;
    this.last = this.now();
  }

  /** Charges one message of `size` bytes; false when it is over the limit. */
  spend(size: number): boolean {
    const seconds = (this.now() - this.last) / 1000;
    this.last += seconds * 1000;
    if (this.limit.messagesPerSecond > 0) {
      this.messages = Math.min(this.messageCap, this.messages + seconds * this.limit.messagesPerSecond) - 1;
      if (this.messages < 0) return false;
    }
    if (this.limit.bytesPerSecond > 0) {
      this.bytes = Math.min(this.byteCap, this.bytes + seconds * this.limit.bytesPerSecond) - size;
      if (this.bytes < 0) return false;
    }
    return true;
  }
}

/** How long a person cut off for flooding is refused in a room: a few seconds of the sustained rate. */
const COOLDOWN_SECONDS = 2;

/**
 * People recently cut off for flooding a room. A new connection from them within the cooldown
 * is refused at once (1013) before it syncs: the stock client counts that as a failed attempt and
 * doubles its backoff, so a looping client slows down instead of getting a fresh budget every
 * reconnect. Keyed by person and room, so other people and rooms are not affected.
 */
export class RateLimitCooldown {
  private readonly until = new Map<string, number>();

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = () => performance.now(),
  ) {}

  start(key: string): void {
    this.until.set(key, this.now() + COOLDOWN_SECONDS * 1000);
    // Forget expired entries as new ones come, so the map stays as small as the flooders.
    for (const [k, t] of this.until) if (t <= this.now()) this.until.delete(k);
  }

  active(key: string): boolean {
    if (this.limit.messagesPerSecond === 0 && this.limit.bytesPerSecond === 0) return false;
    const until = this.until.get(key);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.until.delete(key);
    return false;
  }
}
