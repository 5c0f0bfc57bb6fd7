import { useId, useState, type FormEvent } from 'react';
import type { AgreementView, InviteResponse } from '#shared/protocol';
import { ROLES, ROLE_LABELS, type Role } from '#shared/roles';
import { ApiError, createInvite } from '../api';
import { Field } from '../ui/Field';
import { DEFAULT_LINK_DAYS } from '#shared/access';
import { LinkOnce } from '../people/LinkOnce';
import { PEOPLE_CHANGED } from '../people/api';
import './invite.css';
import { useHoldPageOpen } from '../ui/leaveGuard';
import { FormError } from '../ui/FormError';

interface MadeLink extends InviteResponse {
  absoluteUrl: string;
  partyName?: string;
}

/** Validity choices for a new link, in days (null: never expires). */
const EXPIRY_CHOICES: { days: number | null; label: string }[] = [
  { days: 7, label: '7 days' },
  { days: DEFAULT_LINK_DAYS, label: `${DEFAULT_LINK_DAYS} days` },
  { days: 90, label: '90 days' },
  { days: 365, label: '1 year' },
  { days: null, label: 'Never' },
];

const ROLE_HINTS: Record<Role, string> = {
  negotiator: 'Writes the text on behalf of a party.',
  broker: 'Runs the session and invites people.',
  legal: 'Reads the text live; cannot edit.',
  observer: 'Reads along; cannot edit.',
};

/**
 * Broker only: make invitation links for people to join this agreement. A new link is shown
 * once and kept nowhere (it is a key); the people panel lists everyone from the server.
 */
export function InvitePanel({ view, token }: { view: AgreementView; token: string }) {
  const formId = useId();
  const [role, setRole] = useState<Role>('negotiator');
  const [name, setName] = useState('');
  // An invitation being filled in lives in this form until it is sent.
  useHoldPageOpen(name.trim() !== '');
  const [party, setParty] = useState(view.parties[0]?.id ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [expiry, setExpiry] = useState<number | null>(DEFAULT_LINK_DAYS);
  const [latest, setLatest] = useState<MadeLink | null>(null);

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
      const partyId = needsParty ? party || undefined : undefined;
      const response = await createInvite(view.id, token, { role, name: trimmed, party: partyId, expiresInDays: expiry });
      const link: MadeLink = {
        ...response,
        absoluteUrl: new URL(response.url, window.location.origin).href,
        partyName: view.parties.find((p) => p.id === response.party)?.name,
      };
      setLatest(link);
      window.dispatchEvent(new Event(PEOPLE_CHANGED));
      setName((current) => (current.trim() === trimmed ? '' : current));
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not create the link.');
    } finally {
      setBusy(false);
    }
  };

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
        {/* Only negotiators speak for a party (and read its private caucus). */}
        {needsParty && (
          <Field label="Party" warning={noParties ? 'This agreement has no parties to negotiate for.' : undefined}>
            {(control) => (
              <select {...control} value={party} onChange={(e) => setParty(e.target.value)} name="party" disabled={view.parties.length === 0}>
                {!party && <option value="">Choose a party</option>}
                {view.parties.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field label="Link valid for">
          {(control) => (
            <select
              {...control}
              name="expiry"
              value={expiry ?? 'never'}
              onChange={(e) => setExpiry(e.target.value === 'never' ? null : Number(e.target.value))}
            >
              {EXPIRY_CHOICES.map((c) => (
                <option key={c.label} value={c.days ?? 'never'}>
                  {c.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <FormError message={error} />
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
          <LinkOnce key={latest.absoluteUrl} focus url={latest.absoluteUrl} label="Invitation link" expiresAt={latest.expiresAt} />
        </div>
      )}
    </section>
  );
}
