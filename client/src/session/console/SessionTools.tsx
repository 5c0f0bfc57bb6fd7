import { useState, type FormEvent, type ReactNode } from 'react';
import type { LiveSession } from '#shared/sessions';
import { useAgreementAccess } from '../../agreement/AgreementContext';
import { useInvitedPeople } from '../../people/usePeopleList';
import { sessionApi } from './sessionApi';
import { useCommand } from './useCommand';
import { useHoldPageOpen } from '../../ui/leaveGuard';
import { FormError } from '../../ui/FormError';

/** A one-line form that clears itself once the server took the command. */
function QuickForm({ label, children, onSubmit, disabled }: { label: string; children: ReactNode; onSubmit: () => Promise<boolean>; disabled: boolean }) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void onSubmit();
  };
  return (
    <form className="session-tools__form" onSubmit={submit} aria-label={label}>
      {children}
      <button type="submit" className="button button--secondary button--small" disabled={disabled}>
        {label}
      </button>
    </form>
  );
}

/** What the broker records while the session runs: parked points, decisions, actions, caucus breaks. */
export function SessionTools({ session }: { session: LiveSession }) {
  const { view, token } = useAgreementAccess();
  const people = useInvitedPeople(view.id, token, null);
  const { busy, error, run } = useCommand();
  const [note, setNote] = useState('');
  const [decision, setDecision] = useState('');
  const [what, setWhat] = useState('');
  const [owner, setOwner] = useState('');
  const [due, setDue] = useState('');
  const [minutes, setMinutes] = useState(10);
  const item = session.agenda.find((i) => i.id === session.currentItemId);
  // A point, decision or action typed but not yet recorded is in these fields only.
  useHoldPageOpen([note, decision, what].some((field) => field.trim() !== ''));

  const park = () =>
    run(() => sessionApi.park(view.id, token, { note: note.trim(), ...(item?.objectiveId ? { objectiveId: item.objectiveId } : {}) })).then(
      (ok) => (ok && setNote(''), ok),
    );
  const decide = () => run(() => sessionApi.decide(view.id, token, session.id, decision.trim())).then((ok) => (ok && setDecision(''), ok));
  const addAction = () => {
    const [kind, id] = owner.split(':') as ['person' | 'party', string];
    return run(() => sessionApi.addAction(view.id, token, session.id, { what: what.trim(), owner: { kind, id }, ...(due ? { due } : {}) })).then((ok) => {
      if (ok) {
        setWhat('');
        setDue('');
      }
      return ok;
    });
  };

  return (
    <div className="session-tools">
      <QuickForm label="Park" onSubmit={park} disabled={busy || !note.trim()}>
        <input
          aria-label="Point to park"
          placeholder={item?.objectiveId ? `Contested point on “${item.title}”` : 'Contested point'}
          value={note}
          maxLength={1000}
          onChange={(e) => setNote(e.target.value)}
        />
      </QuickForm>
      <QuickForm label="Record decision" onSubmit={decide} disabled={busy || !decision.trim()}>
        <input aria-label="Decision" placeholder="What was decided" value={decision} maxLength={2000} onChange={(e) => setDecision(e.target.value)} />
      </QuickForm>
      <QuickForm label="Add action" onSubmit={addAction} disabled={busy || !what.trim() || !owner}>
        <input aria-label="Action" placeholder="What is to be done" value={what} maxLength={500} onChange={(e) => setWhat(e.target.value)} />
        <select aria-label="Owner" value={owner} onChange={(e) => setOwner(e.target.value)}>
          <option value="">Owner…</option>
          {view.parties.map((p) => (
            <option key={p.id} value={`party:${p.id}`}>
              {p.name}
            </option>
          ))}
          {people.map((p) => (
            <option key={p.id} value={`person:${p.id}`}>
              {p.name}
            </option>
          ))}
        </select>
        <input aria-label="Due date" type="date" value={due} onChange={(e) => setDue(e.target.value)} />
      </QuickForm>
      <QuickForm
        label={session.caucus ? 'Restart caucus break' : 'Call caucus break'}
        onSubmit={() => run(() => sessionApi.caucus(view.id, token, session.id, minutes))}
        disabled={busy}
      >
        <input
          aria-label="Caucus minutes"
          type="number"
          min={1}
          max={240}
          value={minutes}
          onChange={(e) => setMinutes(Math.max(1, Math.min(240, Number(e.target.value) || 1)))}
        />
      </QuickForm>
      {session.caucus && (
        <button
          type="button"
          className="button button--ghost button--small"
          disabled={busy}
          onClick={() => void run(() => sessionApi.caucus(view.id, token, session.id, 0))}
        >
          End caucus break
        </button>
      )}
      <FormError message={error} />
    </div>
  );
}
