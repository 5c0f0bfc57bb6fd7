import type { FastifyBaseLogger } from 'fastify';
import type { WebSocket } from 'ws';
import { CloseCode, STORAGE_UNAVAILABLE_REASON } from '#shared/protocol';
import { LeaseLostError } from '../storage/fence';
import { StorageDamagedError } from '../storage/damaged';
import { StorageUnavailableError } from '../storage/unavailable';

/** The longest close reason a websocket carries, in UTF-8 bytes; `ws` throws for a longer one. */
const MAX_CLOSE_REASON_BYTES = 123;

/** Closes a websocket that is still open or opening, its reason cut to fit. */
export function closeWith(socket: WebSocket, code: number, reason: string): void {
  if (socket.readyState === socket.OPEN || socket.readyState === socket.CONNECTING) socket.close(code, fitCloseReason(reason));
}

/**
 * Cuts a close reason to 123 bytes, at a character's start. A reason may quote what a client sent
 * (an unknown attribute's name), in any script: cut by characters, 120 of them were up to 480 bytes,
 * and the throw from a socket's message handler stopped the whole server.
 */
export function fitCloseReason(reason: string): string {
  const bytes = Buffer.from(reason);
  if (bytes.byteLength <= MAX_CLOSE_REASON_BYTES) return reason;
  let end = MAX_CLOSE_REASON_BYTES;
  // A byte 10xxxxxx continues a character: step back to the start of the one that does not fit.
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end--;
  return bytes.subarray(0, end).toString();
}

/** Closes a websocket whose setup failed, with the code that tells its client what to do next. */
export function closeAfterSetupFailure(socket: WebSocket, err: unknown, log: FastifyBaseLogger): void {
  // Several instances: the lease went between routing and loading; reconnecting finds the new owner.
  if (err instanceof LeaseLostError) return closeWith(socket, CloseCode.OwnerLost, 'the agreement moved; reconnect');
  // The database is away: the stock client reconnects after 1013 and syncs once it is back.
  if (err instanceof StorageUnavailableError) return closeWith(socket, CloseCode.TryAgainLater, STORAGE_UNAVAILABLE_REASON);
  log.error({ err }, 'websocket setup failed');
  // Said as it is (the log names the file); the stock client tries again, and syncs once a copy is put back.
  closeWith(socket, CloseCode.InternalError, err instanceof StorageDamagedError ? 'the agreement’s stored records are damaged' : 'internal error');
}
