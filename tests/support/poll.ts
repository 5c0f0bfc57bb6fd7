/**
 * Polls until `check` returns a truthy value (or stops throwing), failing after `timeoutMs`. A check
 * that never settles (a request the server never answers) fails at the deadline too, saying so,
 * instead of holding the test until its own timeout with no word of what it waited for.
 */
export async function waitFor<T>(check: () => T | Promise<T>, { timeoutMs = 5000, intervalMs = 10, what = 'condition' } = {}): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await settledBefore(deadline, check);
      if (value) return value as NonNullable<T>;
    } catch (err) {
      if (err instanceof NeverSettled) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}: the last check never answered`);
      lastError = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

class NeverSettled extends Error {}

/** How long a check started before the deadline may still take: a slow answer under load is still an answer. */
const CHECK_GRACE_MS = 5000;

/** `check()`, or a {@link NeverSettled} once `deadline` has passed without it settling. */
async function settledBefore<T>(deadline: number, check: () => T | Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, fail) => {
    timer = setTimeout(() => fail(new NeverSettled()), Math.max(0, deadline - Date.now()) + CHECK_GRACE_MS);
  });
  try {
    return await Promise.race([Promise.resolve().then(check), late]);
  } finally {
    clearTimeout(timer);
  }
}
