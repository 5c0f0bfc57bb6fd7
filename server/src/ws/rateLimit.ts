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
 * Token buckets for one connection's messages and bytes. A connection that runs both dry
 * is closed (4429): the stock client reconnects and resyncs, so a real user loses nothing,
 * while a flood stops costing the room anything.
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
