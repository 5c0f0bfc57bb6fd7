import { useEffect, useState } from 'react';
import { openSession, type CollabSession } from './openSession';
import { takeEarlySession } from './earlySession';
import { blockTexts, unsavedBlocks } from './unsavedBlocks';

/** Why the text was reloaded from the server, for the person to read. */
export interface SessionNotice {
  kind: 'write-refused' | 'unsendable';
  detail: string;
  /** write-refused: the blocks of the person's copy the server does not hold (their words not saved), once the server's text is in. */
  unsaved?: string[];
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
  /** The blocks of a copy thrown away after a refusal, until the server's text is in to compare. */
  const [refusedCopy, setRefusedCopy] = useState<string[] | null>(null);
  useEffect(() => {
    if (!enabled || !token) return;
    let reloading = false;
    const opened = takeEarlySession(agreementId, token) ?? openSession(agreementId, token);
    opened.listen({
      onWriteRefused(reason) {
        if (reloading) return;
        reloading = true;
        setNotice({ kind: 'write-refused', detail: reason });
        // Taken before the copy goes: the refusal took every unsent word with it, allowed or not.
        const mine = blockTexts(opened.ydoc);
        void opened.discardLocalCopy().then(() => {
          setRefusedCopy(mine);
          setGeneration((g) => g + 1);
        });
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
  useEffect(() => {
    if (!session || !refusedCopy) return;
    const show = () => {
      if (!session.provider.synced) return;
      session.provider.off('sync', show);
      setRefusedCopy(null);
      const unsaved = unsavedBlocks(refusedCopy, session.ydoc);
      if (unsaved.length > 0) setNotice((shown) => (shown?.kind === 'write-refused' ? { ...shown, unsaved } : shown));
    };
    session.provider.on('sync', show);
    show();
    return () => session.provider.off('sync', show);
  }, [session, refusedCopy]);
  return { session, notice, dismissNotice: () => setNotice(null) };
}
