import { useCallback, useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import type { PersonView } from '#shared/access';
import { peopleSource } from './peopleSource';

/** The agreement's people as the server lists them (null until first read), and a way to read them again. */
export function usePeopleList(agreementId: string, token: string): { people: PersonView[] | null; reload: () => void } {
  const source = peopleSource(agreementId, token);
  const subscribe = useCallback((listener: () => void) => source.subscribe(listener), [source]);
  const people = useSyncExternalStore(subscribe, () => source.people);
  return { people, reload: source.reload };
}

/**
 * Everyone invited and still in, to mention or to give an action to (empty until read, or offline).
 * Read again when `freshWhen` becomes another truthy value after the first render (a comment draft
 * opened), so a person invited elsewhere meanwhile is there. People whose access ended stay in the
 * server's list (their comments keep their names) but are left out here.
 */
export function useInvitedPeople(agreementId: string, token: string, freshWhen: unknown): PersonView[] {
  const { people, reload } = usePeopleList(agreementId, token);
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (freshWhen) reload();
  }, [freshWhen, reload]);
  return useMemo(() => people?.filter((p) => !p.revoked) ?? NOBODY, [people]);
}

const NOBODY: PersonView[] = [];
