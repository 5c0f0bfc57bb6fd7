import { useEffect, useState } from 'react';
import { serverNow } from '../../serverClock';

/** The time now on the server's clock (the session's times are the server's), refreshed every `ms` while `active`. */
export function useTick(active: boolean, ms = 1000): number {
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    if (!active) return;
    setNow(serverNow());
    const timer = setInterval(() => setNow(serverNow()), ms);
    return () => clearInterval(timer);
  }, [active, ms]);
  return now;
}

/** m:ss */
export function clock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}
