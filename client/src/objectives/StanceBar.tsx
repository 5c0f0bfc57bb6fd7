import { memo, useRef, useState, type FormEvent } from 'react';
import { can } from '#shared/permissions';
import { RecordsKey } from '#shared/records';
import {
  STANCE_LABELS,
  partyStanceStatus,
  stanceKey,
  stanceNeedsReason,
  type PartyStanceStatus,
  type StanceCall,
  type StanceRecord,
  type StanceValue,
} from '#shared/objectives';
import { useAgreementAccess, useRecordsRoom } from '../agreement/AgreementContext';
import { ApiError } from '../api';
import { callForStances, putStance } from './api';
import { useRecordsMap } from './useRecords';
import { HistoryOverlay, type HistoryView } from '../history/HistoryOverlay';
import { formatDate } from '../ui/When';
import type { ObjectiveHash } from './hash';
import { useHoldPageOpen } from '../ui/leaveGuard';
import { useRetryWhileOffline } from '../ui/useRetryWhileOffline';
import { FormError } from '../ui/FormError';

/** A stance as a reader says it afterwards: "Agreed on Nov 12, 2026". */
const STANCE_PAST: Record<StanceValue, string> = {
  agree: 'Agreed',
  reservations: 'Agreed with reservations',
  object: 'Objected',
  not_yet: 'Said “not yet”',
};

export const STATUS_LABELS: Record<PartyStanceStatus, string> = {
  ...STANCE_LABELS,
  outdated: 'Outdated: text changed since',
  none: 'No stance yet',
};

interface Props {
  objectiveId: string;
  /** The objective's hash: the one shown, and the current one for what is sent. */
  hash: ObjectiveHash;
  /** The objective in words (“Safe water”), for the name of the stance buttons' group. */
  named: string;
}

/**
 * Each party's stance on one objective; my party's negotiators state ours, a broker calls for stances.
 * Memoized: a keystroke in the objective's text renders it again only once the new text's hash is known.
 */
export const StanceBar = memo(function StanceBar({ objectiveId, hash, named }: Props) {
  const { view, token } = useAgreementAccess();
  const records = useRecordsRoom();
  const stances = useRecordsMap<StanceRecord>(records, RecordsKey.stances);
  const calls = useRecordsMap<StanceCall>(records, RecordsKey.stanceCalls);
  const [pending, setPending] = useState<StanceValue | null>(null);
  const [reason, setReason] = useState('');
  const refusalKey = `${view.id} ${objectiveId}`;
  // Kept past this bar, should it be built again as the refusal comes (its objective block rendered anew).
  const [error, setShownError] = useState<string | null>(() => refusals.get(refusalKey) ?? null);
  const setError = (message: string | null) => {
    if (message) refusals.set(refusalKey, message);
    else refusals.delete(refusalKey);
    setShownError(message);
  };
  const [busy, setBusy] = useState(false);
  /** A stance stated while offline, sent once the server can be reached: on the text it was chosen on (`seen`), for the party it was stated for. */
  const [waiting, setWaiting] = useState<{ stance: StanceValue; why?: string; seen: string; party?: string } | null>(null);
  /** The party a stance being stated (its reason written, or waiting) speaks for: a move to another party meanwhile must not make it theirs. */
  const [forParty, setForParty] = useState<string | undefined>(undefined);
  // A party's reason being written, or a stance waiting for the connection: lost with the page until it is sent.
  useHoldPageOpen(reason.trim() !== '' || waiting !== null);
  const [changes, setChanges] = useState<HistoryView | null>(null);
  const sending = useRef(false);
  /** The stance button that opened the reason's form: focus goes back there when it is cancelled. */
  const opener = useRef<HTMLButtonElement | null>(null);
  const me = view.me;
  const canState = can(me.role, 'stateStance') && !!me.party && !!objectiveId;
  const call = calls[objectiveId];

  const send = async (stance: StanceValue, why?: string, party = me.party, seen?: string) => {
    if (sending.current) return;
    sending.current = true;
    setBusy(true);
    setError(null);
    let contentHash = seen;
    try {
      // The text in front of the person when they chose: a try after the text changed must not attest the new words.
      contentHash ??= await hash.current();
      // The server refuses (403 wrong_party) a stance for a party the person no longer speaks for.
      await putStance(view.id, token, objectiveId, { stance, ...(why ? { reason: why } : {}), contentHash, ...(party ? { party } : {}) });
      setPending(null);
      setReason('');
      setWaiting(null);
    } catch (err) {
      // Offline: keep the stance and send it when the connection is back, as the text does.
      if (err instanceof ApiError && err.isNetwork && contentHash) setWaiting({ stance, why, seen: contentHash, party });
      else {
        setWaiting(null);
        setError(
          err instanceof ApiError && err.code === 'objective_changed' && seen
            ? `The objective was edited since you chose “${STANCE_LABELS[stance]}”, so it was not recorded: read it again and state your stance.`
            : stanceRefusal(err, view.parties.find((p) => p.id === party)?.name),
        );
      }
    } finally {
      sending.current = false;
      setBusy(false);
    }
  };

  useRetryWhileOffline(waiting, () => waiting && void send(waiting.stance, waiting.why, waiting.party, waiting.seen));

  const choose = (stance: StanceValue) => {
    setForParty(me.party);
    if (stanceNeedsReason(stance)) setPending(stance);
    else void send(stance);
  };
  const cancelReason = () => {
    setPending(null);
    setReason('');
    opener.current?.focus();
  };
  const submitReason = (e: FormEvent) => {
    e.preventDefault();
    if (pending && reason.trim()) void send(pending, reason.trim(), forParty);
  };

  return (
    <div className="stances" contentEditable={false} data-testid="stances">
      <ul className="stances__parties">
        {view.parties.map((p) => {
          const record = stances[stanceKey(objectiveId, p.id)];
          const status = hash.shown ? partyStanceStatus(record, hash.shown) : 'none';
          if (status === 'outdated' && record) {
            // What the party said, on which text: the stance no longer counts, but it is not hidden.
            return (
              <li key={p.id} className="stance stance--outdated" data-testid={`stance-${p.id}`} data-status={status}>
                <span className="stance__swatch" style={{ backgroundColor: p.color }} aria-hidden="true" />
                <span className="stance__party">{p.name}:</span>{' '}
                <span className="stance__label">
                  {STANCE_PAST[record.stance]} on {formatDate(record.at)}, text changed since
                </span>
                {record.reason && <span className="stance__reason"> (“{record.reason}”)</span>}{' '}
                <button
                  type="button"
                  className="link-button stance__changes"
                  onClick={() => setChanges({ kind: 'objective', objectiveId, party: p.id, partyName: p.name })}
                >
                  What changed since
                </button>
              </li>
            );
          }
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
        <div className="stances__mine" role="group" aria-label={`Your party's stance on ${named}`}>
          <span className="stances__prompt">{view.parties.find((p) => p.id === me.party)?.name ?? 'Your party'}’s stance:</span>
          {(Object.keys(STANCE_LABELS) as StanceValue[]).map((s) => (
            <button
              key={s}
              type="button"
              className={`button button--small${pending === s ? ' button--active' : ''}`}
              disabled={busy || !hash.shown}
              onClick={(event) => {
                opener.current = event.currentTarget;
                choose(s);
              }}
            >
              {STANCE_LABELS[s]}
            </button>
          ))}
        </div>
      )}
      {pending && (
        <form
          className="stances__reason"
          onSubmit={submitReason}
          onKeyDown={(event) => {
            if (event.key !== 'Escape') return;
            event.preventDefault();
            cancelReason();
          }}
        >
          <input aria-label="Reason" placeholder="Why? (required)" value={reason} maxLength={2000} onChange={(e) => setReason(e.target.value)} autoFocus />
          <button type="submit" className="button button--small button--primary" disabled={busy || !reason.trim()}>
            Record “{STANCE_LABELS[pending]}”
          </button>
          <button type="button" className="button button--small" onClick={cancelReason}>
            Cancel
          </button>
        </form>
      )}
      {can(me.role, 'callForStances') && objectiveId && (
        <button
          type="button"
          className="button button--small"
          onClick={() =>
            void callForStances(view.id, token, objectiveId).catch((err: unknown) =>
              setError(err instanceof ApiError ? err.message : 'Could not call for stances.'),
            )
          }
        >
          Call for stances
        </button>
      )}
      {/* Always there, empty while nothing waits: a status region added together with its words is not read out. */}
      <p className="stances__waiting" role="status" data-testid="stance-waiting">
        {waiting && `Offline: “${STANCE_LABELS[waiting.stance]}” will be sent as soon as the connection is back.`}
      </p>
      <FormError message={error} />
      {changes && <HistoryOverlay view={changes} onClose={() => setChanges(null)} onRestored={() => setChanges(null)} />}
    </div>
  );
});

/** The last refusal of a stance on each objective (`<agreement> <objective>`), while this page lives. */
const refusals = new Map<string, string>();

/** What the person is told when a stance is refused; a move to another party is said plainly. */
function stanceRefusal(err: unknown, partyName: string | undefined): string {
  if (err instanceof ApiError && err.code === 'wrong_party') {
    return `This stance was for ${partyName ?? 'another party'}, which you no longer speak for: it was not recorded.`;
  }
  return err instanceof ApiError ? err.message : 'Could not record the stance.';
}
