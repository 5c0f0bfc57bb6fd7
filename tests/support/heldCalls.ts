/** Calls of one method that a test holds back, then lets run. */
export interface HeldCalls {
  /** How many calls are waiting. */
  readonly waiting: number;
  /** Lets every waiting call run at once (and later ones straight through, as before); settles once they have. */
  release(): Promise<void>;
}

/**
 * Holds the next `count` calls of `target[method]` (every call until released by default):
 * each waits until {@link HeldCalls.release}, then runs as it would have. What a test uses to
 * line requests up at one step, e.g. two HTTP requests that have read their records and are
 * about to write.
 */
export function holdCalls<T extends object>(target: T, method: keyof T & string, count = Infinity): HeldCalls {
  const own = Object.prototype.hasOwnProperty.call(target, method);
  const original = target[method] as (...args: unknown[]) => Promise<unknown>;
  const waiting: (() => Promise<unknown>)[] = [];
  let left = count;
  let released = false;
  const restore = () => {
    if (own) (target as Record<string, unknown>)[method] = original;
    else delete (target as Record<string, unknown>)[method];
  };
  (target as Record<string, unknown>)[method] = (...args: unknown[]) => {
    if (released || left <= 0) return original.apply(target, args);
    left--;
    return new Promise((resolve, reject) => {
      waiting.push(() => {
        const call = Promise.resolve().then(() => original.apply(target, args));
        call.then(resolve, reject);
        return call;
      });
    });
  };
  return {
    get waiting() {
      return waiting.length;
    },
    async release() {
      released = true;
      restore();
      await Promise.allSettled(waiting.splice(0).map((run) => run()));
    },
  };
}
