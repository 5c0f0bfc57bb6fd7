/** SQLSTATE classes and codes that mean "the server went away or is not ready yet", not "this write is wrong". */
const TRANSIENT_CODES = new Set(['57P01', '57P02', '57P03', '53300', '40001', '40P01']);
const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN']);

/** Whether retrying the same work later may succeed (PostgreSQL restarting, a connection cut). */
export function isTransient(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (code.startsWith('08') || TRANSIENT_CODES.has(code) || TRANSIENT_NODE_CODES.has(code))) return true;
  const message = err instanceof Error ? err.message : '';
  return /Connection terminated|connection timeout|Client has encountered a connection error|not queryable/i.test(message);
}

/** Runs `work` until it succeeds, retrying transient failures with backoff (50 ms doubling to 2 s). */
export async function retrying<T>(work: () => Promise<T>, options: { stop: () => boolean; onRetry: (err: unknown) => void }): Promise<T> {
  for (let delay = 50; ; delay = Math.min(delay * 2, 2000)) {
    try {
      return await work();
    } catch (err) {
      if (options.stop() || !isTransient(err)) throw err;
      options.onRetry(err);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
