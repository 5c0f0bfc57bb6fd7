import { useEffect, useState } from 'react';
import { findObjectives } from '#shared/objectives';
import { useAgreement } from '../agreement/AgreementContext';
import { cachedSha256Hex } from './hash';
import { useDocumentJSON } from './useDocumentJSON';
import { useDocLoaded } from '../session/useDocLoaded';

/**
 * The hash of one objective as the live text reads now, as the server computes it: `undefined`
 * until the server's copy of the text has arrived and been read, `null` when the text holds no such
 * objective (it was removed).
 */
export function useObjectiveHash(objectiveId: string): string | null | undefined {
  const { session } = useAgreement();
  const doc = useDocumentJSON(session);
  // Before the text arrives every objective is missing: that is no removal.
  const loaded = useDocLoaded(session);
  const [hash, setHash] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    if (!doc || !loaded) return;
    let live = true;
    const found = findObjectives(doc).find((o) => o.id === objectiveId);
    if (!found) setHash(null);
    else void cachedSha256Hex(found.canonical).then((h) => live && setHash(h));
    return () => {
      live = false;
    };
  }, [doc, loaded, objectiveId]);
  return hash;
}
