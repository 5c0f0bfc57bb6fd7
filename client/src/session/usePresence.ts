import { useEffect, useState } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type { PresenceUser } from '#shared/protocol';
import { asPresenceUser } from './presenceUser';

export interface PresentPerson {
  user: PresenceUser;
  isSelf: boolean;
  /** Open tabs or devices this person is connected from. */
  connections: number;
}

function collect(awareness: Awareness): PresentPerson[] {
  const self = awareness.clientID;
  const byPerson = new Map<string, PresentPerson>();
  for (const [clientId, state] of awareness.getStates()) {
    const user = asPresenceUser((state as { user?: unknown }).user);
    if (!user) continue;
    const existing = byPerson.get(user.personId);
    if (existing) {
      existing.connections += 1;
      if (clientId === self) existing.isSelf = true;
    } else {
      byPerson.set(user.personId, { user, isSelf: clientId === self, connections: 1 });
    }
  }
  return [...byPerson.values()].sort((a, b) => Number(b.isSelf) - Number(a.isSelf) || a.user.name.localeCompare(b.user.name));
}

function samePeople(a: PresentPerson[], b: PresentPerson[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((p, i) => {
    const q = b[i];
    return (
      p.isSelf === q.isSelf &&
      p.connections === q.connections &&
      p.user.personId === q.user.personId &&
      p.user.name === q.user.name &&
      p.user.color === q.user.color &&
      p.user.role === q.user.role &&
      p.user.partyName === q.user.partyName &&
      p.user.inCaucus === q.user.inCaucus
    );
  });
}

/** People present in the room, one entry per person, self first. */
export function usePresence(awareness: Awareness | null): PresentPerson[] {
  const [people, setPeople] = useState<PresentPerson[]>([]);
  useEffect(() => {
    if (!awareness) {
      setPeople([]);
      return;
    }
    // 'change' fires only when states really change (not on the 15 s keep-alive).
    const update = () =>
      setPeople((prev) => {
        const next = collect(awareness);
        return samePeople(prev, next) ? prev : next;
      });
    awareness.on('change', update);
    update();
    return () => awareness.off('change', update);
  }, [awareness]);
  return people;
}
