import { useEffect, useState } from 'react';
import { openSession, type CollabSession } from './openSession';

/** Opens the agreement's live session while the component is mounted. */
export function useCollabSession(agreementId: string, token: string | null, enabled: boolean): CollabSession | null {
  const [session, setSession] = useState<CollabSession | null>(null);
  useEffect(() => {
    if (!enabled || !token) return;
    const opened = openSession(agreementId, token);
    setSession(opened);
    return () => {
      setSession(null);
      opened.destroy();
    };
  }, [agreementId, token, enabled]);
  return session;
}
