import { ErrorCode } from '#shared/errors';
import { AppError } from '../errors';

/** Seconds a client is told to wait before it asks again while the database is away. */
export const STORAGE_RETRY_AFTER_SECONDS = 2;

/**
 * The database could not be reached within the deadline (stopped, restarting, cut off), or the
 * embedded storage's disk refused a write (full, read-only). HTTP
 * answers it as 503 `storage_unavailable` with Retry-After; a websocket is closed with a code
 * the stock client reconnects after. For a write the outcome is unknown, as after any timeout:
 * it was not acknowledged, and it may still be stored once the database answers again.
 */
export class StorageUnavailableError extends AppError {
  readonly retryAfterSeconds = STORAGE_RETRY_AFTER_SECONDS;
  constructor(
    readonly reason: unknown,
    message = 'the database cannot be reached right now; try again shortly',
  ) {
    super(503, ErrorCode.StorageUnavailable, message);
  }
}

/** A write the embedded storage's disk refused (full, read-only, failing): unavailable storage, not an internal error. */
export function diskRefused(err: unknown): StorageUnavailableError {
  return err instanceof StorageUnavailableError ? err : new StorageUnavailableError(err, 'the server cannot write to its disk right now; try again shortly');
}

/** Runs a write of the embedded storage, its failure told as {@link diskRefused}. */
export async function writeOrRefuse<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    throw diskRefused(err);
  }
}
