import { useId } from 'react';
import type { PersonView } from '#shared/access';
import { ROLE_LABELS } from '#shared/roles';
import { useAgreementAccess } from '../agreement/AgreementContext';
import { When } from '../ui/When';
import { PersonActions } from './PersonActions';
import { usePeopleList } from './usePeopleList';
import './people.css';

/**
 * Everyone invited, from the server: role, party and whether they are still in. Brokers also
 * see who invited whom, when each was last seen and their links, and manage their access.
 */
export function PeoplePanel() {
  const { view, token } = useAgreementAccess();
  const titleId = useId();
  const { people, reload } = usePeopleList(view.id, token);
  const isBroker = view.me.role === 'broker';
  const partyName = (id?: string) => view.parties.find((p) => p.id === id)?.name;

  return (
    <section className="panel people" aria-labelledby={titleId} data-testid="people-panel">
      <h2 className="panel__title" id={titleId}>
        People <span className="panel__count">{people?.filter((p) => !p.revoked).length ?? ''}</span>
      </h2>
      {people === null ? (
        <p className="people__empty">Loading…</p>
      ) : (
        <ul className="people__list">
          {people.map((person) => (
            <li key={person.id} className={`people__item${person.revoked ? ' people__item--revoked' : ''}`} data-testid="person-row" data-person={person.name}>
              <div className="people__who">
                <span className="people__name">
                  {person.name}
                  {person.id === view.me.personId && <span className="people__you"> (you)</span>}
                </span>
                <span className="people__meta">
                  {ROLE_LABELS[person.role]}
                  {person.party ? ` · ${partyName(person.party) ?? 'unknown party'}` : ''}
                  {person.revoked ? ' · access ended' : ''}
                </span>
                {isBroker && <BrokerDetails person={person} />}
              </div>
              {isBroker && !(person.id === view.me.personId) && <PersonActions person={person} onChanged={reload} />}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function BrokerDetails({ person }: { person: PersonView }) {
  const active = person.links?.find((l) => l.active);
  return (
    <span className="people__details">
      {person.invitedBy ? `Invited by ${person.invitedBy.name}, ` : 'Invited '}
      <When iso={person.invitedAt} />
      {' · '}
      {person.lastSeenAt ? (
        <>
          last seen <When iso={person.lastSeenAt} />
        </>
      ) : (
        'never opened it'
      )}
      {' · '}
      {person.linksOutstanding === 0 ? (
        'no working link'
      ) : active?.expiresAt ? (
        <>
          link expires <When iso={active.expiresAt} />
        </>
      ) : (
        `${person.linksOutstanding} link${person.linksOutstanding === 1 ? '' : 's'} outstanding`
      )}
    </span>
  );
}
