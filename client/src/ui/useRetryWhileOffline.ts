import { useEffect, useRef } from 'react';

/** How long to wait between tries while something waits for the connection. */
const RETRY_MS = 2000;

/**
 * Calls `retry` every 2 s, and as soon as the browser says it is online, while `waiting` holds: a statement made
 * offline (a stance, a round's answer) is sent once the server can be reached, as the text is.
 */
export function useRetryWhileOffline(waiting: unknown, retry: () => void): void {
  // The latest `retry`, so a render does not restart the timer.
  const latest = useRef(retry);
  latest.current = retry;
  useEffect(() => {
    if (!waiting) return;
    const tryAgain = () => latest.current();
    const timer = setInterval(tryAgain, RETRY_MS);
    window.addEventListener('online', tryAgain);
    return () => {
      clearInterval(timer);
      window.removeEventListener('online', tryAgain);
    };
  }, [waiting]);
}
