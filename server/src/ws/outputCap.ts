import type { WebSocket } from 'ws';
import { CloseCode } from '#shared/protocol';

/** Unsent output one connection may have queued (a whole-document answer of a big agreement fits). */
export const DEFAULT_OUTPUT_BUFFER_BYTES = 32 * 1024 * 1024;
/** A connection told to go that still does not read is cut off after this long. */
const TERMINATE_AFTER_MS = 10_000;

/**
 * Sends unless the connection already has more than `capBytes` queued: a client that stops
 * reading would otherwise make the server hold every reply for it. Over the cap it is closed
 * with 1013 (Try Again Later), which the stock client reconnects after; the close frame waits
 * behind the queued output, so one that never reads is terminated a little later.
 */
export function sendCapped(socket: WebSocket, message: Uint8Array, capBytes: number, onOverflow: () => void): void {
  if (socket.readyState !== socket.OPEN) return;
  if (socket.bufferedAmount <= capBytes) {
    socket.send(message);
    return;
  }
  onOverflow();
  socket.close(CloseCode.TryAgainLater, 'too much unsent output: reconnect later');
  setTimeout(() => socket.terminate(), TERMINATE_AFTER_MS).unref();
}
