import { textColorOn } from '#shared/colors';
import './session.css';
import { ROLE_LABELS } from '#shared/roles';
import { initials } from './presenceUser';
import type { PresentPerson } from './usePresence';

const MAX_SHOWN = 6;

export function describePerson(p: PresentPerson): string {
  const parts = [p.user.name + (p.isSelf ? ' (you)' : ''), ROLE_LABELS[p.user.role]];
  if (p.user.partyName) parts.push(p.user.partyName);
  return parts.join(' · ');
}

/** Stack of initials in party colours; hover for name, role and party. */
export function PresenceAvatars({ people }: { people: PresentPerson[] }) {
  const shown = people.slice(0, MAX_SHOWN);
  const hidden = people.length - shown.length;
  return (
    <ul className="avatars" aria-label={`${people.length} ${people.length === 1 ? 'person' : 'people'} present`}>
      {shown.map((p) => (
        <li
          key={p.user.personId}
          className={`avatar${p.isSelf ? ' avatar--self' : ''}`}
          style={{ backgroundColor: p.user.color, color: textColorOn(p.user.color) }}
          title={describePerson(p)}
          aria-label={describePerson(p)}
        >
          {initials(p.user.name)}
        </li>
      ))}
      {hidden > 0 && (
        <li className="avatar avatar--more" title={people.slice(MAX_SHOWN).map(describePerson).join('\n')}>
          +{hidden}
        </li>
      )}
    </ul>
  );
}
