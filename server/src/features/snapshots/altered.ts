import { ErrorCode } from '#shared/errors';
import { AppError } from '../../errors';

/** The answer for a snapshot whose stored text no longer hashes to its fingerprint: it is neither handed out under it nor restored. */
export function snapshotAltered(): AppError {
  return new AppError(
    409,
    ErrorCode.SnapshotAltered,
    'this snapshot was altered after it was taken: its stored text no longer matches its fingerprint, so it is neither exported nor restored (a copy from a backup can be put back)',
  );
}
