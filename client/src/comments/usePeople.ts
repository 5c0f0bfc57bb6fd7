import { useEffect, useState } from 'react';
import type { PersonSummary } from '#shared/threads';
import { getPeople } from './api';

/** Everyone invited to the agreement, for `@` mentions (empty until loaded, or offline). */
export function usePeople(agreementId: string, token: string, reloadKey: unknown): PersonSummary[] {
  const [people, setPeople] = useState<PersonSummary[]>([]);
  useEffect(() => {
    let cancelled = false;
    getPeople(agreementId, token)
      .then((res) => {
        if (!cancelled) setPeople(res.people);
      })
      .catch(() => {
        // Mentions fall back to parties and whoever is already known.
      });
    return () => {
      cancelled = true;
    };
  }, [agreementId, token, reloadKey]);
  return people;
}
