import { useEffect, useState } from 'react';
import { findObjectives } from '#shared/objectives';
import { useAgreement } from '../agreement/AgreementContext';
import { cachedSha256Hex } from './hash';
import { useDocumentJSON } from './useDocumentJSON';

/**
 * The hash of one objective as the live text reads now, as the server computes it: `undefined`
 * until the text is read, `null` when the text holds no such objective (it was removed).
 */
export function useObjectiveHash(objectiveId: string): string | null | undefined {
  const { session } = useAgreement();
  const doc = useDocumentJSON(session);
  const [hash, setHash] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    if (!doc) return;
    let live = true;
    const found = findObjectives(doc).find((o) => o.id === objectiveId);
    if (!found) setHash(null);
    else void cachedSha256Hex(found.canonical).then((h) => live && setHash(h));
    return () => {
      live = false;
    };
  }, [doc, objectiveId]);
  return hash;
}
