import { useEffect, useState } from 'react';
import type { PersonView } from '#shared/access';
import { getPeople } from './api';

/** Everyone invited to the agreement, for `@` mentions (empty until loaded, or offline). */
export function usePeople(agreementId: string, token: string, reloadKey: unknown): PersonView[] {
  const [people, setPeople] = useState<PersonView[]>([]);
  useEffect(() => {
    let cancelled = false;
    getPeople(agreementId, token)
      .then((res) => {
        // People whose access ended stay listed by the server (their comments keep their names) but cannot be mentioned.
        if (!cancelled) setPeople(res.people.filter((p) => !p.revoked));
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
