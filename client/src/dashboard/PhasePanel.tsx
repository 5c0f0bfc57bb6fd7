import { useState } from 'react';
import { can } from '#shared/permissions';
import { RecordsKey } from '#shared/records';
import { INITIAL_PHASE, PHASES, PHASE_LABELS, isPhase, type PhaseChange } from '#shared/phases';
import { useAgreement } from '../agreement/AgreementContext';
import { ApiError } from '../api';
import { setPhase } from '../objectives/api';
import { useRecordsArray, useRecordsMap } from '../objectives/useRecords';

/** The life-cycle phase every person sees; the broker moves it on, and each change is listed. */
export function PhasePanel() {
  const { view, token, records } = useAgreement();
  const meta = useRecordsMap<unknown>(records, RecordsKey.meta);
  const log = useRecordsArray<PhaseChange>(records, RecordsKey.phaseLog);
  const [error, setError] = useState<string | null>(null);
  const phase = isPhase(meta.phase) ? meta.phase : INITIAL_PHASE;
  const last = log[log.length - 1];

  const move = async (next: string) => {
    if (!isPhase(next)) return;
    setError(null);
    try {
      await setPhase(view.id, token, next);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not change the phase.');
    }
  };

  return (
    <section className="panel" aria-labelledby="phase-title">
      <h2 className="panel__title" id="phase-title">
        Life-cycle phase
      </h2>
      <ol className="phases" data-testid="phase" data-phase={phase}>
        {PHASES.map((p) => (
          <li key={p} className={`phases__step${p === phase ? ' phases__step--current' : ''}`} aria-current={p === phase ? 'step' : undefined}>
            {PHASE_LABELS[p]}
          </li>
        ))}
      </ol>
      {last && (
        <p className="panel__hint">
          Moved to {PHASE_LABELS[last.phase]} by {last.by.name} on {new Date(last.at).toLocaleString()}
        </p>
      )}
      {can(view.me.role, 'setPhase') && (
        <label className="phases__control">
          Move to{' '}
          <select aria-label="Move to phase" value={phase} onChange={(e) => void move(e.target.value)}>
            {PHASES.map((p) => (
              <option key={p} value={p}>
                {PHASE_LABELS[p]}
              </option>
            ))}
          </select>
        </label>
      )}
      {log.length > 1 && (
        <details className="phases__log">
          <summary>All phase changes ({log.length})</summary>
          <ul>
            {log.map((c, i) => (
              <li key={i}>
                {PHASE_LABELS[c.phase]}: {c.by.name}, {new Date(c.at).toLocaleString()}
              </li>
            ))}
          </ul>
        </details>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
