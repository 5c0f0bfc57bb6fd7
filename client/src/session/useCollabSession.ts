import { useEffect, useState } from 'react';
import { openSession, type CollabSession } from './openSession';
import { takeEarlySession } from './earlySession';
import { contentRoom } from '#shared/rooms';
import { deviceCopyName } from './deviceCopyName';
import { forgetUnsavedWords, keepUnsavedWords, keptUnsavedWords, passages, passagesNotIn, unsavedWordsKey } from './unsavedWords';

/** Why the text was reloaded from the server, for the person to read. */
export interface SessionNotice {
  kind: 'write-refused' | 'unsendable';
  detail: string;
  /** A refused change's passages the server's text does not hold, once the reloaded text is in: the person's words to copy. */
  unsaved?: string[];
}

/**
 * Opens the agreement's live session while the component is mounted. When the server refuses
 * a change (a read-only role), this device's copy is thrown away and the session reopened from
 * the server's state: the refused change would otherwise stay on screen, and in IndexedDB, for ever.
 * The refused copy may hold hours of offline work besides the refused part (one change carries it
 * all), so its passages are kept, and those the server's text lacks are offered to copy, on this
 * device until the person dismisses them.
 */
export function useCollabSession(
  agreementId: string,
  token: string | null,
  enabled: boolean,
): { session: CollabSession | null; notice: SessionNotice | null; dismissNotice: () => void } {
  const [session, setSession] = useState<CollabSession | null>(null);
  const [generation, setGeneration] = useState(0);
  const keptAt = token ? unsavedWordsKey(deviceCopyName(contentRoom(agreementId), token)) : null;
  const [notice, setNotice] = useState<SessionNotice | null>(() => {
    const kept = keptAt ? keptUnsavedWords(keptAt) : null;
    return kept ? { kind: 'write-refused', detail: kept.reason, unsaved: kept.words } : null;
  });
  const [refusedCopy, setRefusedCopy] = useState<{ from: CollabSession; passages: string[] } | null>(null);
  useEffect(() => {
    if (!enabled || !token) return;
    let reloading = false;
    const opened = takeEarlySession(agreementId, token) ?? openSession(agreementId, token);
    opened.listen({
      onWriteRefused(reason) {
        if (reloading) return;
        reloading = true;
        setRefusedCopy({ from: opened, passages: passages(opened.ydoc) });
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
  useEffect(() => {
    // Compared with the session reopened from the server, not the refused one still shown meanwhile.
    if (!session || !refusedCopy || session === refusedCopy.from) return;
    // The reloaded text counts once the whole server copy is in (synced comes after its last piece).
    const compare = () => {
      if (!session.provider.synced) return;
      const unsaved = passagesNotIn(refusedCopy.passages, passages(session.ydoc));
      setRefusedCopy(null);
      // Words an earlier refusal left that the person has not dismissed yet stay with them.
      const earlier = (keptAt ? keptUnsavedWords(keptAt)?.words : undefined)?.filter((words) => !unsaved.includes(words)) ?? [];
      const all = [...earlier, ...unsaved];
      setNotice((shown) => {
        if (shown?.kind !== 'write-refused') return shown;
        if (keptAt && all.length > 0) keepUnsavedWords(keptAt, shown.detail, all);
        return { ...shown, unsaved: all };
      });
    };
    compare();
    session.provider.on('sync', compare);
    return () => session.provider.off('sync', compare);
  }, [session, refusedCopy, keptAt]);
  const dismissNotice = () => {
    if (keptAt) forgetUnsavedWords(keptAt);
    setNotice(null);
  };
  return { session, notice, dismissNotice };
}
