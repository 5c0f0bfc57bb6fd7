import type { WebsocketProvider } from 'y-websocket';
import { CloseCode } from '#shared/protocol';

/** A connection that lived this long before such a close starts the count again. */
const CALM_MS = 30_000;

/**
 * Keeps a connection that the server closes again and again soon after it opens, for a bad message
 * (4500) or for its own failure on one (1011), from reconnecting twice a second for good: the stock
 * provider starts its backoff again once a connection has synced, and the same message comes again
 * with the next sync. Each such close in a row raises the backoff (0.4, 0.8, 1.6 s… up to the
 * provider's `maxBackoffTime`).
 */
export function backOffRepeatedCloses(provider: WebsocketProvider): void {
  let inARow = 0;
  let openedAt = 0;
  provider.on('status', ({ status }) => {
    if (status === 'connected') openedAt = Date.now();
  });
  // Heard before the provider counts the close and schedules the next attempt from that count.
  provider.on('connection-close', (event) => {
    if (event?.code !== CloseCode.BadMessage && event?.code !== CloseCode.InternalError) return;
    inARow = Date.now() - openedAt < CALM_MS ? inARow + 1 : 1;
    provider.wsUnsuccessfulReconnects = Math.max(provider.wsUnsuccessfulReconnects, inARow);
  });
}
