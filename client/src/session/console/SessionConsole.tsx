import { useEffect, useRef, useState } from 'react';
import { can } from '#shared/permissions';
import type { AgendaItemInput, LiveSession, Minutes } from '#shared/sessions';
import { MinutesView } from './MinutesView';
import { useAgreementAccess } from '../../agreement/AgreementContext';
import { AgendaEditor, draftOf, type AgendaDraft } from './AgendaEditor';
import { SessionTools } from './SessionTools';
import { sessionApi } from './sessionApi';
import { useCommand } from './useCommand';
import { useLiveSession } from './useLiveSession';
import { useHoldPageOpen } from '../../ui/leaveGuard';
import { FormError } from '../../ui/FormError';
import { ApiError } from '../../api';

const toInput = ({ key: _key, ...item }: AgendaDraft): AgendaItemInput => item;

/** The broker's console: plan the agenda, start, record what happens, end with minutes. */
export function SessionConsole() {
  const { view } = useAgreementAccess();
  const { active, past } = useLiveSession();
  /** The minutes of the session this broker ended: its controls are gone, so the console says where it went. */
  const [endedByMe, setEnded] = useState<Minutes | null>(null);
  // Only while it is the last session: one a co-broker planned and ended since is not this broker's news.
  const ended = !active && endedByMe && past[0]?.id === endedByMe.sessionId ? endedByMe : null;
  if (!can(view.me.role, 'steerSession')) return null;
  return (
    <section className="panel session-console" aria-labelledby="session-console-title" data-testid="session-console">
      <h2 className="panel__title" id="session-console-title">
        Working session
      </h2>
      {/* Always there, so a screen reader reads the note that appears in it. */}
      <p role="status" className="panel__hint">
        {ended && `“${ended.title}” has ended and its minutes are written.`}
      </p>
      {active ? (
        <ActiveSession key={active.id} session={active} onEnded={setEnded} />
      ) : (
        <>
          {ended && <OpenMinutes minutes={ended} />}
          <PlanSession />
        </>
      )}
    </section>
  );
}

/** The button to the minutes just written; it takes the focus from the End button, which went with the session. */
function OpenMinutes({ minutes }: { minutes: Minutes }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => button.current?.focus(), []);
  return (
    <>
      <button ref={button} type="button" className="button button--secondary button--small" onClick={() => setOpen(true)}>
        Open the minutes
      </button>
      {open && <MinutesView minutes={minutes} onClose={() => setOpen(false)} />}
    </>
  );
}

function PlanSession() {
  const { view, token } = useAgreementAccess();
  const [title, setTitle] = useState('');
  const [rows, setRows] = useState<AgendaDraft[]>([]);
  const { busy, error, run } = useCommand();
  // An agenda being planned lives in this form until it is sent.
  useHoldPageOpen(rows.length > 0 || title.trim() !== '');
  return (
    <form
      className="session-console__plan"
      onSubmit={(e) => {
        e.preventDefault();
        void run(() => sessionApi.plan(view.id, token, title.trim() || 'Working session', rows.map(toInput)));
      }}
    >
      <label className="field__label" htmlFor="session-title">
        Session title
      </label>
      <input id="session-title" value={title} maxLength={200} placeholder="Working session" onChange={(e) => setTitle(e.target.value)} />
      <AgendaEditor rows={rows} onChange={setRows} />
      <button type="submit" className="button button--primary button--small" disabled={busy || rows.length === 0}>
        Plan session
      </button>
      <FormError message={error} />
    </form>
  );
}

function ActiveSession({ session, onEnded }: { session: LiveSession; onEnded: (minutes: Minutes) => void }) {
  const { view, token } = useAgreementAccess();
  const [rows, setRows] = useState<AgendaDraft[]>(() => session.agenda.map(draftOf));
  const [dirty, setDirty] = useState(false);
  /** The agenda version the rows were edited from: the server refuses a save over a co-broker's newer one. */
  const [base, setBase] = useState(session.agendaVersion ?? 0);
  useHoldPageOpen(dirty);
  const [agendaOpen, setAgendaOpen] = useState(session.status === 'planned');
  const { busy, error, run } = useCommand();
  // Another broker's change to the agenda shows here unless this broker is mid-edit.
  useEffect(() => {
    if (dirty) return;
    setRows(session.agenda.map(draftOf));
    setBase(session.agendaVersion ?? 0);
  }, [session.agenda, session.agendaVersion, dirty]);
  const save = () =>
    run(() =>
      sessionApi.setAgenda(view.id, token, session.id, rows.map(toInput), base).catch((err: unknown) => {
        // Told once: saving again replaces the co-broker's agenda knowingly; discarding shows theirs.
        if (err instanceof ApiError && err.code === 'agenda_changed') setBase(session.agendaVersion ?? 0);
        throw err;
      }),
    ).then((ok) => ok && setDirty(false));

  return (
    <div className="session-console__active">
      <p className="panel__hint">
        “{session.title}” · {session.status === 'planned' ? 'planned' : 'running'}
      </p>
      <details open={agendaOpen} onToggle={(e) => setAgendaOpen(e.currentTarget.open)}>
        <summary>Agenda</summary>
        {/* Mounted only while open: the editor reads the whole text to offer its sections and objectives. */}
        {agendaOpen && (
          <AgendaEditor
            rows={rows}
            onChange={(next) => {
              setRows(next);
              setDirty(true);
            }}
          />
        )}
        <button type="button" className="button button--secondary button--small" disabled={busy || !dirty || rows.length === 0} onClick={() => void save()}>
          Save agenda
        </button>
        {dirty && (
          <button type="button" className="button button--ghost button--small" disabled={busy} onClick={() => setDirty(false)}>
            Discard my changes
          </button>
        )}
      </details>
      {session.status === 'planned' ? (
        <button
          type="button"
          className="button button--primary"
          disabled={busy || dirty || session.agenda.length === 0}
          onClick={() => void run(() => sessionApi.start(view.id, token, session.id))}
        >
          Start session
        </button>
      ) : (
        <>
          <SessionTools session={session} />
          <button
            type="button"
            className="button button--primary"
            disabled={busy || session.openRoundId !== null}
            title={session.openRoundId ? 'Close the consent round first' : undefined}
            onClick={() => void run(() => sessionApi.end(view.id, token, session.id).then(onEnded))}
          >
            End session and write the minutes
          </button>
        </>
      )}
      <FormError message={error} />
    </div>
  );
}
