import { relative } from 'node:path';
import { ErrorCode } from '#shared/errors';
import { AppError } from '../errors';

/**
 * A stored file that exists but cannot be read (torn, edited by hand, a disk fault). Not a bug of
 * ours and not passing: the person is told their agreement's records are damaged, the operator's
 * log names the file, and nothing is written over it, so a copy from a backup can be put back.
 */
export class StorageDamagedError extends AppError {
  constructor(
    readonly file: string,
    readonly reason: unknown,
  ) {
    super(
      500,
      ErrorCode.StorageDamaged,
      "the server's copy of this agreement's records is damaged and cannot be read; nothing was changed, and its operator can put it back from a backup",
    );
  }
}

/** Runs `read` of the JSON file `file` under `dataDir`, a parse failure told as {@link StorageDamagedError}. */
export async function readOrDamaged<T>(dataDir: string, file: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof SyntaxError) throw new StorageDamagedError(relative(dataDir, file), err);
    throw err;
  }
}
