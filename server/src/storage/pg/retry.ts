import { StorageUnavailableError } from '../unavailable';

/** SQLSTATE classes and codes that mean "the server went away or is not ready yet", not "this write is wrong". */
const TRANSIENT_CODES = new Set(['57P01', '57P02', '57P03', '53300', '40001', '40P01']);
const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN']);

/** Whether retrying the same work later may succeed (PostgreSQL restarting, a connection cut). */
export function isTransient(err: unknown): boolean {
  if (err instanceof StorageUnavailableError) return true;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (code.startsWith('08') || TRANSIENT_CODES.has(code) || TRANSIENT_NODE_CODES.has(code))) return true;
  const message = err instanceof Error ? err.message : '';
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable/i.test(
    message,
  );
}

export interface RetryOptions {
  /** Stop retrying (the storage is closing). */
  stop: () => boolean;
  onRetry: (err: unknown) => void;
  /**
   * Give up after this long with {@link StorageUnavailableError}, whether the attempts keep
   * failing or one hangs (a database cut off by the network answers nothing). Without it, retry until it works.
   */
  deadlineMs?: number;
}

/** Runs `work` until it succeeds, retrying transient failures with backoff (50 ms doubling to 2 s), within the deadline when one is given. */
export async function retrying<T>(work: () => Promise<T>, options: RetryOptions): Promise<T> {
  const giveUpAt = options.deadlineMs === undefined ? Infinity : Date.now() + options.deadlineMs;
  for (let delay = 50; ; delay = Math.min(delay * 2, 2000)) {
    try {
      return await withinDeadline(work(), giveUpAt);
    } catch (err) {
      if (options.stop() || !isTransient(err)) throw err;
      const left = giveUpAt - Date.now();
      if (left <= 0) throw err instanceof StorageUnavailableError ? err : new StorageUnavailableError(err);
      options.onRetry(err);
      await new Promise((resolve) => setTimeout(resolve, Math.min(delay, left)));
    }
  }
}

/** The attempt's result, or StorageUnavailableError once `giveUpAt` passes (the attempt itself runs on and is ignored). */
function withinDeadline<T>(attempt: Promise<T>, giveUpAt: number): Promise<T> {
  if (giveUpAt === Infinity) return attempt;
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StorageUnavailableError(new Error('no answer within the deadline'))), Math.max(0, giveUpAt - Date.now()));
  });
  // A late failure of an abandoned attempt must not surface as an unhandled rejection.
  attempt.catch(() => {});
  return Promise.race([attempt, expired]).finally(() => clearTimeout(timer));
}
