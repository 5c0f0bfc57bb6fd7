import { useState, type FormEvent } from 'react';
import { can } from '#shared/permissions';
import { RecordsKey } from '#shared/records';
import { STANCE_LABELS, partyStanceStatus, stanceKey, stanceNeedsReason, type PartyStanceStatus, type StanceCall, type StanceRecord, type StanceValue } from '#shared/objectives';
import { useAgreement } from '../agreement/AgreementContext';
import { ApiError } from '../api';
import { callForStances, putStance } from './api';
import { useRecordsMap } from './useRecords';

export const STATUS_LABELS: Record<PartyStanceStatus, string> = {
  ...STANCE_LABELS,
  outdated: 'Outdated: text changed since',
  none: 'No stance yet',
};

interface Props {
  objectiveId: string;
  /** Hash of the objective as shown right now (null while computing). */
  hash: string | null;
}

/** Each party's stance on one objective; my party's negotiators state ours, a broker calls for stances. */
export function StanceBar({ objectiveId, hash }: Props) {
  const { view, token, records } = useAgreement();
  const stances = useRecordsMap<StanceRecord>(records, RecordsKey.stances);
  const calls = useRecordsMap<StanceCall>(records, RecordsKey.stanceCalls);
  const [pending, setPending] = useState<StanceValue | null>(null);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const me = view.me;
  const canState = can(me.role, 'stateStance') && !!me.party && !!objectiveId;
  const call = calls[objectiveId];

  const send = async (stance: StanceValue, why?: string) => {
    setBusy(true);
    setError(null);
    try {
      await putStance(view.id, token, objectiveId, { stance, ...(why ? { reason: why } : {}), ...(hash ? { contentHash: hash } : {}) });
      setPending(null);
      setReason('');
    } catch (err) {
      setError(err instanceof ApiError ? err.message : 'Could not record the stance.');
    } finally {
      setBusy(false);
    }
  };

  const choose = (stance: StanceValue) => (stanceNeedsReason(stance) ? setPending(stance) : void send(stance));
  const submitReason = (e: FormEvent) => {
    e.preventDefault();
    if (pending && reason.trim()) void send(pending, reason.trim());
  };

  return (
    <div className="stances" contentEditable={false} data-testid="stances">
      <ul className="stances__parties">
        {view.parties.map((p) => {
          const record = stances[stanceKey(objectiveId, p.id)];
          const status = hash ? partyStanceStatus(record, hash) : 'none';
          return (
            <li key={p.id} className={`stance stance--${status}`} data-testid={`stance-${p.id}`} data-status={status} title={record?.reason ?? ''}>
              <span className="stance__swatch" style={{ backgroundColor: p.color }} aria-hidden="true" />
              <span className="stance__party">{p.name}:</span> <span className="stance__label">{STATUS_LABELS[status]}</span>
              {record?.reason && status !== 'agree' && <span className="stance__reason"> ({record.reason})</span>}
            </li>
          );
        })}
      </ul>
      {call && <p className="stances__call">Stances called for by {call.by.name}</p>}
      {canState && (
        <div className="stances__mine" role="group" aria-label="Your party's stance">
          <span className="stances__prompt">{view.parties.find((p) => p.id === me.party)?.name ?? 'Your party'}’s stance:</span>
          {(Object.keys(STANCE_LABELS) as StanceValue[]).map((s) => (
            <button key={s} type="button" className={`button button--small${pending === s ? ' button--active' : ''}`} disabled={busy || !hash} onClick={() => choose(s)}>
              {STANCE_LABELS[s]}
            </button>
          ))}
        </div>
      )}
      {pending && (
        <form className="stances__reason" onSubmit={submitReason}>
          <input aria-label="Reason" placeholder="Why? (required)" value={reason} maxLength={2000} onChange={(e) => setReason(e.target.value)} autoFocus />
          <button type="submit" className="button button--small button--primary" disabled={busy || !reason.trim()}>
            Record “{STANCE_LABELS[pending]}”
          </button>
          <button type="button" className="button button--small" onClick={() => setPending(null)}>
            Cancel
          </button>
        </form>
      )}
      {can(me.role, 'callForStances') && objectiveId && (
        <button type="button" className="button button--small" onClick={() => void callForStances(view.id, token, objectiveId).catch((err: unknown) => setError(err instanceof ApiError ? err.message : 'Could not call for stances.'))}>
          Call for stances
        </button>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
