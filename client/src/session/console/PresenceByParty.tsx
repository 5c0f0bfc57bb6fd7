import type { Party } from '#shared/protocol';
import type { PresentPerson } from '../usePresence';

/** Who is present, party by party, naming the parties that have nobody here. */
export function PresenceByParty({ people, parties }: { people: PresentPerson[]; parties: Party[] }) {
  const absent = parties.filter((p) => !people.some((person) => person.user.party === p.id));
  const others = people.filter((person) => !parties.some((p) => p.id === person.user.party));
  return (
    <div className="session-presence" data-testid="session-presence">
      <ul className="session-presence__parties" aria-label="Present by party">
        {parties
          .filter((p) => !absent.includes(p))
          .map((p) => (
            <li key={p.id} data-testid={`present-${p.id}`}>
              <span className="party-chip__swatch" style={{ backgroundColor: p.color }} aria-hidden="true" /> {p.name}:{' '}
              {people
                .filter((person) => person.user.party === p.id)
                .map((person) => person.user.name)
                .join(', ')}
            </li>
          ))}
        {others.length > 0 && <li>Without a party: {others.map((person) => person.user.name).join(', ')}</li>}
      </ul>
      {absent.length > 0 && (
        <p className="session-presence__absent" data-testid="absent-parties">
          Nobody present for {absent.map((p) => p.name).join(', ')}
        </p>
      )}
    </div>
  );
}
