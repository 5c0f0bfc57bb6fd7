/** How much one connection may send; 0 switches a dimension off. */
export interface RateLimit {
  /** Sustained websocket messages per second. */
  messagesPerSecond: number;
  /** Sustained bytes per second. */
  bytesPerSecond: number;
  /** How many seconds of the sustained rate may arrive at once (typing bursts, a first sync). */
  burstSeconds: number;
}

export const DEFAULT_RATE_LIMIT: RateLimit = { messagesPerSecond: 200, bytesPerSecond: 1024 * 1024, burstSeconds: 5 };

/**
 * Token buckets for one connection's messages and bytes. A message is handled only when
 * {@link waitMs} is 0, and then {@link spend} charges it (a bucket may go into debt by that
 * one message, so a message as large as the limit still passes).
 */
export class ConnectionBudget {
  private readonly messageCap: number;
  private readonly byteCap: number;
  private messages: number;
  private bytes: number;
  private last: number;

  constructor(
    private readonly limit: RateLimit,
    /** Bytes that must always fit at once (the largest message), so a legal message never stalls forever. */
    minByteBurst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.messageCap = limit.messagesPerSecond * limit.burstSeconds;
    this.byteCap = Math.max(limit.bytesPerSecond * limit.burstSeconds, minByteBurst);
    this.messages = this.messageCap;
    this.bytes = this.byteCap;
    this.last = this.now();
  }

  /** Charges one handled message of `size` bytes. */
  spend(size: number): void {
    this.refill();
    if (this.limit.messagesPerSecond > 0) this.messages -= 1;
    if (this.limit.bytesPerSecond > 0) this.bytes -= size;
  }

  /** Milliseconds until the next message may be handled (0: now). */
  waitMs(): number {
    this.refill();
    const forMessages = this.messages < 1 && this.limit.messagesPerSecond > 0 ? ((1 - this.messages) / this.limit.messagesPerSecond) * 1000 : 0;
    const forBytes = this.bytes < 0 && this.limit.bytesPerSecond > 0 ? (-this.bytes / this.limit.bytesPerSecond) * 1000 : 0;
    return Math.ceil(Math.max(forMessages, forBytes));
  }

  private refill(): void {
    const now = this.now();
    const seconds = (now - this.last) / 1000;
    this.last = now;
    this.messages = Math.min(this.messageCap, this.messages + seconds * this.limit.messagesPerSecond);
    this.bytes = Math.min(this.byteCap, this.bytes + seconds * this.limit.bytesPerSecond);
  }
}
