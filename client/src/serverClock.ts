/**
 * The server's clock as this device can tell it, from the `Date` header of API answers. Records carry the
 * server's times (an item's start, a caucus break's end): counted against a device clock some minutes off,
 * a timer read "over time" from the first second, or a break was over before it began.
 */

/** Below this the device's clock is taken as right: a `Date` header has whole seconds only, and timers need no better. */
const TRUSTED_SKEW_MS = 2000;

let offsetMs = 0;

/** Notes a `Date` header of an answer to a request sent at `sentAt` and answered at `receivedAt` (device times). */
export function noteServerDate(header: string | null, sentAt: number, receivedAt: number): void {
  const server = header ? Date.parse(header) : NaN;
  if (Number.isNaN(server)) return;
  // The header is truncated to the second: its middle is the best guess, against the request's midpoint.
  const estimate = server + 500 - (sentAt + receivedAt) / 2;
  offsetMs = Math.abs(estimate) > TRUSTED_SKEW_MS ? estimate : 0;
}

/** Now, on the server's clock. */
export function serverNow(): number {
  return Date.now() + offsetMs;
}
