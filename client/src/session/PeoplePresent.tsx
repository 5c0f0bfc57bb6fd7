import { textColorOn } from '#shared/colors';
import './session.css';
import { ROLE_LABELS } from '#shared/roles';
import { initials } from './presenceUser';
import type { PresentPerson } from './usePresence';

/** Sidebar list of who is in the session right now. */
export function PeoplePresent({ people, live }: { people: PresentPerson[]; live: boolean }) {
  return (
    <section className="panel" aria-labelledby="people-present-title">
      <h2 className="panel__title" id="people-present-title">
        People present <span className="panel__count">{people.length}</span>
      </h2>
      {!live && <p className="panel__hint">Others appear here once you are connected.</p>}
      <ul className="people-present" data-testid="people-present">
        {people.map((p) => (
          <li key={p.user.personId} className="person" data-person={p.user.name}>
            <span className="avatar avatar--small" style={{ backgroundColor: p.user.color, color: textColorOn(p.user.color) }} aria-hidden="true">
              {initials(p.user.name)}
            </span>
            <span className="person__text">
              <span className="person__name">
                {p.user.name}
                {p.isSelf && <span className="person__you"> (you)</span>}
              </span>
              <span className="person__meta">
                <span className="person__role">{ROLE_LABELS[p.user.role]}</span>
                {p.user.partyName && (
                  <>
                    {' · '}
                    <span className="person__party">{p.user.partyName}</span>
                  </>
                )}
                {/* Their party is in a caucus break: present, but where they are in the text is theirs to keep. */}
                {p.user.inCaucus && (
                  <>
                    {' · '}
                    <span className="person__caucus">in caucus</span>
                  </>
                )}
              </span>
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}
