import { useEffect, useId, useState, type FormEvent } from 'react';
import type { AgreementView, InviteResponse } from '#shared/protocol';
import { ROLES, ROLE_LABELS, type Role } from '#shared/roles';
import { ApiError, createInvite } from '../api';
import { Field } from '../ui/Field';
import { CopyButton } from './CopyButton';
import './invite.css';

interface MadeLink extends InviteResponse {
  absoluteUrl: string;
  partyName?: string;
}

const ROLE_HINTS: Record<Role, string> = {
  negotiator: 'Writes the text on behalf of a party.',
  broker: 'Runs the session and invites people.',
  legal: 'Reads the text live; cannot edit.',
  observer: 'Reads along; cannot edit.',
};

const storageKey = (id: string) => `cg:invites:${id}`;

function loadMade(id: string): MadeLink[] {
  try {
    return JSON.parse(sessionStorage.getItem(storageKey(id)) ?? '[]') as MadeLink[];
  } catch {
    return [];
  }
}

/** Broker only: make invitation links for people to join this agreement. */
export function InvitePanel({ view, token }: { view: AgreementView; token: string }) {
  const formId = useId();
  const [role, setRole] = useState<Role>('negotiator');
  const [name, setName] = useState('');
  const [party, setParty] = useState(view.parties[0]?.id ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [made, setMade] = useState<MadeLink[]>(() => loadMade(view.id));

  useEffect(() => {
    try {
      sessionStorage.setItem(storageKey(view.id), JSON.stringify(made));
    } catch {
      // the list simply won't survive a reload
    }
  }, [made, view.id]);

  const needsParty = role === 'negotiator';
  // Negotiators always speak for a party; others usually belong to none.
  const chooseRole = (next: Role) => {
    setRole(next);
    setParty(next === 'negotiator' ? party || (view.parties[0]?.id ?? '') : '');
  };
  const noParties = needsParty && view.parties.length === 0;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return setError('Enter the name of the person you are inviting.');
    if (needsParty && !party) return setError('Choose the party this negotiator speaks for.');
    setBusy(true);
    setError(null);
    try {
      const partyId = party || undefined;
      const response = await createInvite(view.id, token, { role, name: trimmed, party: partyId });
      const link: MadeLink = {
        ...response,
        absoluteUrl: new URL(response.url, window.location.origin).href,
        partyName: view.parties.find((p) => p.id === response.party)?.name,
      };
      setMade((prev) => [link, ...prev]);
      setName((current) => (current.trim() === trimmed ? '' : current));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not create the link.');
    } finally {
      setBusy(false);
    }
  };

  const latest = made[0];
  return (
    <section className="panel invite" aria-labelledby={`${formId}-title`} data-testid="invite-panel">
      <h2 className="panel__title" id={`${formId}-title`}>
        Invite
      </h2>
      <form className="invite__form" onSubmit={submit} noValidate>
        <Field label="Role" hint={ROLE_HINTS[role]}>
          {(control) => (
            <select {...control} value={role} onChange={(e) => chooseRole(e.target.value as Role)} name="role">
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Name">
          {(control) => (
            <input
              {...control}
              name="name"
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="e.g. Amina Diallo"
              maxLength={120}
              autoComplete="off"
            />
          )}
        </Field>
        <Field
          label={needsParty ? 'Party' : 'Party (optional)'}
          warning={noParties ? 'This agreement has no parties to negotiate for.' : undefined}
        >
          {(control) => (
            <select
              {...control}
              value={party}
              onChange={(e) => setParty(e.target.value)}
              name="party"
              disabled={view.parties.length === 0}
            >
              {!needsParty && <option value="">No party</option>}
              {needsParty && !party && <option value="">Choose a party</option>}
              {view.parties.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </select>
          )}
        </Field>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button" disabled={busy || noParties}>
          {busy ? 'Creating link…' : 'Create invitation link'}
        </button>
      </form>

      {latest && (
        <div className="invite__latest" data-testid="invite-latest">
          <p className="invite__latest-title">
            Link for <strong>{latest.name}</strong> ({ROLE_LABELS[latest.role]}
            {latest.partyName ? `, ${latest.partyName}` : ''})
          </p>
          <div className="invite__link-row">
            <input className="invite__link" readOnly value={latest.absoluteUrl} onFocus={(e) => e.currentTarget.select()} aria-label="Invitation link" />
            <CopyButton text={latest.absoluteUrl} />
          </div>
          <p className="field__hint">Anyone with this link joins as this person. Send it privately.</p>
        </div>
      )}

      {made.length > 1 && (
        <div className="invite__history">
          <h3 className="invite__history-title">Links made this session</h3>
          <ul className="invite__list">
            {made.slice(1).map((m) => (
              <li key={m.token} className="invite__item">
                <span className="invite__who">
                  {m.name}
                  <span className="invite__meta">
                    {ROLE_LABELS[m.role]}
                    {m.partyName ? ` · ${m.partyName}` : ''}
                  </span>
                </span>
                <CopyButton text={m.absoluteUrl} label="Copy link" />
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
