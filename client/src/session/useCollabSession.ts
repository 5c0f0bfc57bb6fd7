import { useEffect, useState } from 'react';
import { openSession, type CollabSession } from './openSession';
import { takeEarlySession } from './earlySession';

/** Why the text was reloaded from the server, for the person to read. */
export interface SessionNotice {
  kind: 'write-refused' | 'unsendable';
  detail: string;
}

/**
 * Opens the agreement's live session while the component is mounted. When the server refuses
 * a change (a read-only role), this device's copy is thrown away and the session reopened from
 * the server's state: the refused change would otherwise stay on screen, and in IndexedDB, for ever.
 */
export function useCollabSession(
  agreementId: string,
  token: string | null,
  enabled: boolean,
): { session: CollabSession | null; notice: SessionNotice | null; dismissNotice: () => void } {
  const [session, setSession] = useState<CollabSession | null>(null);
  const [generation, setGeneration] = useState(0);
  const [notice, setNotice] = useState<SessionNotice | null>(null);
  useEffect(() => {
    if (!enabled || !token) return;
    let reloading = false;
    const opened = takeEarlySession(agreementId, token) ?? openSession(agreementId, token);
    opened.listen({
      onWriteRefused(reason) {
        if (reloading) return;
        reloading = true;
        setNotice({ kind: 'write-refused', detail: reason });
        void opened.discardLocalCopy().then(() => setGeneration((g) => g + 1));
      },
      onUnsendable(bytes) {
        setNotice({ kind: 'unsendable', detail: String(bytes) });
      },
    });
    setSession(opened);
    return () => {
      setSession(null);
      opened.destroy();
    };
  }, [agreementId, token, enabled, generation]);
  return { session, notice, dismissNotice: () => setNotice(null) };
}
