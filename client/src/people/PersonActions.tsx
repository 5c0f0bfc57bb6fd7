import { useState } from 'react';
import { DEFAULT_LINK_DAYS, type LinkResponse, type PersonView } from '#shared/access';
import { ROLES, ROLE_LABELS, type Role } from '#shared/roles';
import { ApiError } from '../api';
import { useAgreementAccess } from '../agreement/AgreementContext';
import { changeRole, reissueLink, revokePerson } from './api';
import { LinkOnce } from './LinkOnce';
import { FormError } from '../ui/FormError';

/** A role choice: negotiators are one option per party, since only they speak for one. */
function roleValue(role: Role, party?: string): string {
  return role === 'negotiator' ? `negotiator:${party ?? ''}` : role;
}

/** A broker's controls for one person: change role, give a new link, end access. */
export function PersonActions({ person, onChanged }: { person: PersonView; onChanged: () => void }) {
  const { view, token } = useAgreementAccess();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [link, setLink] = useState<LinkResponse | null>(null);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      onChanged();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'That did not work; try again.');
    } finally {
      setBusy(false);
    }
  };

  const onRole = (value: string) =>
    run(async () => {
      const [role, party] = value.split(':') as [Role, string | undefined];
      await changeRole(view.id, token, person.id, { role, ...(party ? { party } : {}) });
    });
  const onReissue = () =>
    run(async () => {
      const issued = await reissueLink(view.id, token, person.id, DEFAULT_LINK_DAYS);
      setLink({ ...issued, url: new URL(issued.url, window.location.origin).href });
    });
  const onRevoke = () => {
    if (!window.confirm(`End ${person.name}'s access? Their open sessions close now; what they wrote stays.`)) return;
    void run(() => revokePerson(view.id, token, person.id));
  };

  const chosen = roleValue(person.role, person.party);
  const chosenLabel =
    person.role === 'negotiator' ? `Negotiator for ${view.parties.find((p) => p.id === person.party)?.name ?? 'a party'}` : ROLE_LABELS[person.role];

  return (
    <div className="people__actions">
      {!person.revoked && (
        // Negotiators are listed by party under one heading: "Negotiator for WaterAid Kenya" did not
        // fit the side panel, and the row above already says the role in full.
        <select aria-label={`Role of ${person.name}`} title={chosenLabel} value={chosen} disabled={busy} onChange={(e) => void onRole(e.target.value)}>
          {ROLES.map((role) =>
            role === 'negotiator' ? (
              <optgroup key={role} label="Negotiator for">
                {view.parties.map((p) => (
                  <option key={p.id} value={roleValue(role, p.id)}>
                    {p.name}
                  </option>
                ))}
              </optgroup>
            ) : (
              <option key={role} value={role}>
                {ROLE_LABELS[role]}
              </option>
            ),
          )}
        </select>
      )}
      <div className="people__buttons">
        <button type="button" className="button button--small button--secondary" disabled={busy} onClick={() => void onReissue()}>
          {person.revoked ? 'Let back in with a new link' : 'New link'}
        </button>
        {!person.revoked && (
          <button type="button" className="button button--small button--danger" disabled={busy} onClick={onRevoke} data-testid="revoke">
            End access
          </button>
        )}
      </div>
      <FormError message={error} />
      {link && <LinkOnce key={link.url} focus url={link.url} label={`New link for ${person.name}`} expiresAt={link.expiresAt} />}
    </div>
  );
}
