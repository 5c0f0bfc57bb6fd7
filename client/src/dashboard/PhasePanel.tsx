import { useEffect, useRef, useState, type FormEvent } from 'react';
import { can } from '#shared/permissions';
import { RecordsKey } from '#shared/records';
import { INITIAL_PHASE, MAX_PHASE_REASON, PHASES, PHASE_LABELS, isPhase, isStepBack, type Phase, type PhaseChange } from '#shared/phases';
import { useAgreement } from '../agreement/AgreementContext';
import { ApiError } from '../api';
import { setPhase } from '../objectives/api';
import { useRecordsArray, useRecordsMap } from '../objectives/useRecords';
import { useRoomSynced, useRoomSyncedOnce, type ServerRoom } from '../session/useServerRoom';
import { PanelOpening } from '../ui/PanelOpening';
import { When } from '../ui/When';
import { useHoldPageOpen } from '../ui/leaveGuard';
import { FormError } from '../ui/FormError';

/**
 * The life-cycle phase every person sees; the broker moves it on, and each change is listed.
 * A change is announced to everyone and takes a permanent snapshot, so choosing a phase only
 * proposes it: the broker confirms in a second step, and a step back needs a reason.
 */
export function PhasePanel() {
  const { view, token, records } = useAgreement();
  const meta = useRecordsMap<unknown>(records, RecordsKey.meta);
  const log = useRecordsArray<PhaseChange>(records, RecordsKey.phaseLog);
  const [error, setError] = useState<string | null>(null);
  const [chosen, setChosen] = useState<Phase | null>(null);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const phase = isPhase(meta.phase) ? meta.phase : INITIAL_PHASE;
  // A co-broker may make the very move first: there is then nothing left to confirm.
  const proposed = chosen !== phase ? chosen : null;
  // A reason for the phase change being written: lost with the page until it is sent.
  useHoldPageOpen(proposed !== null && reason.trim() !== '');
  const last = log[log.length - 1];
  const back = proposed !== null && isStepBack(phase, proposed);
  const news = useNewPhaseChange(records, log);
  // Before the records come, the phase would read as the first, however far the agreement is.
  const recordsIn = useRoomSyncedOnce(records);

  const cancel = () => {
    setChosen(null);
    setReason('');
  };

  const choose = (next: Phase) => {
    // A reason written for a move a co-broker made meanwhile was for that move only.
    if (!proposed) setReason('');
    setChosen(next);
  };

  // What is chosen now, read when a move's answer comes: the records show the move before its answer (which waits for
  // the snapshot the move takes), and a phase chosen meanwhile is the broker's next proposal, not the one answered.
  const chosenNow = useRef(chosen);
  chosenNow.current = chosen;

  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    if (!proposed || (back && !reason.trim())) return;
    const sent = proposed;
    setError(null);
    setBusy(true);
    try {
      await setPhase(view.id, token, sent, reason.trim() || undefined);
      if (chosenNow.current === sent) cancel();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not change the phase.');
    } finally {
      setBusy(false);
    }
  };

  if (!recordsIn) return <PanelOpening title="Life-cycle phase" />;
  return (
    <section className="panel" aria-labelledby="phase-title">
      <h2 className="panel__title" id="phase-title">
        Life-cycle phase
      </h2>
      {/* Where the partnership stands, read only: the broker moves it with the control below. role="list" because Safari
          drops the list role of one styled without markers. */}
      <ol className="phases" role="list" aria-label="Progress through the life cycle" data-testid="phase" data-phase={phase}>
        {PHASES.map((p, i) => {
          const step = i < PHASES.indexOf(phase) ? 'done' : p === phase ? 'current' : 'ahead';
          return (
            <li key={p} className={`phases__step phases__step--${step}`} aria-current={step === 'current' ? 'step' : undefined}>
              {step === 'done' && <span className="visually-hidden">Done: </span>}
              {PHASE_LABELS[p]}
            </li>
          );
        })}
      </ol>
      {last && (
        <p className="panel__hint">
          {last.previous && isStepBack(last.previous, last.phase) ? 'Stepped back to' : 'Moved to'} {PHASE_LABELS[last.phase]} by {last.by.name} on{' '}
          <When iso={last.at} />
          {last.reason ? `: “${last.reason}”` : ''}
        </p>
      )}
      {can(view.me.role, 'setPhase') && (
        <form className="phases__control" onSubmit={confirm} data-testid="phase-control">
          <label>
            Move to{' '}
            <select value={proposed ?? phase} onChange={(e) => (isPhase(e.target.value) && e.target.value !== phase ? choose(e.target.value) : cancel())}>
              {PHASES.map((p) => (
                <option key={p} value={p}>
                  {PHASE_LABELS[p]}
                </option>
              ))}
            </select>
          </label>
          {proposed && (
            <div className="phases__confirm" role="group" aria-label="Confirm the phase change">
              <p>
                {back ? 'Step back' : 'Move'} from {PHASE_LABELS[phase]} to <strong>{PHASE_LABELS[proposed]}</strong>? Everyone is told, and a snapshot of the
                text is kept.
              </p>
              {back && (
                <label className="phases__reason">
                  Why step back? (required, kept in the phase log)
                  <textarea value={reason} maxLength={MAX_PHASE_REASON} rows={2} required onChange={(e) => setReason(e.target.value)} />
                </label>
              )}
              <div className="phases__buttons">
                <button type="submit" className="button button--small button--primary" disabled={busy || (back && !reason.trim())}>
                  {back ? 'Step back' : 'Confirm move'}
                </button>
                <button type="button" className="button button--small button--ghost" onClick={cancel}>
                  Cancel
                </button>
              </div>
            </div>
          )}
        </form>
      )}
      {log.length > 0 && (
        <details className="phases__log">
          <summary>All phase changes ({log.length})</summary>
          <ul data-testid="phase-log">
            {log.map((c, i) => (
              <li key={i}>
                {c.previous && isStepBack(c.previous, c.phase) ? 'Stepped back to ' : ''}
                {PHASE_LABELS[c.phase]}: {c.by.name}, <When iso={c.at} />
                {c.reason ? `: “${c.reason}”` : ''}
              </li>
            ))}
          </ul>
        </details>
      )}
      <FormError message={error} />
      {/* Said to a screen reader as the phase changes while the page is open (rarely: it never chatters). */}
      <p className="visually-hidden" role="status">
        {news &&
          `Phase ${news.previous && isStepBack(news.previous, news.phase) ? 'stepped back' : 'moved'} to ${PHASE_LABELS[news.phase]} by ${news.by.name}${news.reason ? `: “${news.reason}”` : ''}`}
      </p>
    </section>
  );
}

/** The last phase change made since the page had the records, if any: one made before it opened is no news. */
function useNewPhaseChange(records: ServerRoom | null, log: PhaseChange[]): PhaseChange | null {
  const synced = useRoomSynced(records);
  const [known, setKnown] = useState<number | null>(null);
  useEffect(() => {
    // Read from the room itself: the log's copy in React state may not hold the first sync yet.
    if (synced && records && known === null) setKnown(records.doc.getArray(RecordsKey.phaseLog).length);
  }, [synced, records, known]);
  return known !== null && log.length > known ? log[log.length - 1] : null;
}
