import { StorageUnavailableError } from '../../storage/unavailable';

/**
 * How long a restore may wait for the text it replaces to be kept as a snapshot. Meanwhile the
 * agreement's room stores, and so relays, no change (RoomLog.storeAfter): every other person's
 * words are held. Measured on this 2-core machine, 40 pages (reworded for months or not) held them
 * 17 to 158 ms on lowdb and 17 to 223 ms on PostgreSQL when idle, but over 2 s with two such tests
 * running side by side (encoding and hashing the copy compete for the cores): 5 s lets a loaded
 * server finish a genuine restore and still caps the pause; past it the storage is slow or away.
 */
export const RESTORE_KEEP_BEFORE_MS = 5000;

/** Why a restore gave up: nothing changed, so the person can simply try again. */
export function restoreTimedOut(): StorageUnavailableError {
  return new StorageUnavailableError(
    new Error(`the text before the restore was not kept within ${RESTORE_KEEP_BEFORE_MS} ms`),
    'the storage is too slow right now to keep the text before the restore: nothing was restored and the text is unchanged; try again shortly',
  );
}

/**
 * `keeping`, or a {@link restoreTimedOut} refusal once `ms` have passed without it. The copy may still be
 * stored after that (a write cannot be called back); the caller waits for it before its next snapshot.
 */
export async function keptWithin<T>(keeping: Promise<T>, ms = RESTORE_KEEP_BEFORE_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(restoreTimedOut()), ms);
  });
  try {
    return await Promise.race([keeping, late]);
  } finally {
    clearTimeout(timer);
  }
}
