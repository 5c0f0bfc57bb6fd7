import { useCallback, useEffect, useState } from 'react';
import type { PersonView } from '#shared/access';
import { listPeople, PEOPLE_CHANGED } from './api';

/** Reload at least this often, so "last seen" stays roughly true. */
const REFRESH_MS = 30_000;

/** The agreement's people as the server lists them, reloaded after changes made here. */
export function usePeopleList(agreementId: string, token: string): { people: PersonView[] | null; reload: () => void } {
  const [people, setPeople] = useState<PersonView[] | null>(null);
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    let cancelled = false;
    listPeople(agreementId, token)
      .then((res) => !cancelled && setPeople(res.people))
      .catch(() => {
        // Offline or refused: keep what is shown.
      });
    return () => {
      cancelled = true;
    };
  }, [agreementId, token, version]);

  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    window.addEventListener(PEOPLE_CHANGED, reload);
    return () => {
      clearInterval(timer);
      window.removeEventListener(PEOPLE_CHANGED, reload);
    };
  }, [reload]);

  return { people, reload };
}
