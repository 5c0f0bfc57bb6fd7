import { useMemo, useState, type FormEvent } from 'react';
import { can } from '#shared/permissions';
import { LIVE } from '#shared/snapshots';
import { useAgreement } from '../agreement/AgreementContext';
import { PastSessions } from '../session/console/PastSessions';
import { ExportButtons } from './ExportButtons';
import { HistoryOverlay, type HistoryView } from './HistoryOverlay';
import { takeSnapshot } from './historyApi';
import { personLabel, shortHash } from './format';
import { useCheckedSnapshots, type CheckedSnapshots, type SnapshotCheck } from './useCheckedSnapshots';
import { When, needSeconds } from '../ui/When';
import './history.css';
import { useHoldPageOpen } from '../ui/leaveGuard';
import { FormError } from '../ui/FormError';

/** The agreement's snapshots: take one, open one, compare two (or one with the live text), export. */
export function HistoryPanel() {
  const { view, token, records } = useAgreement();
  const { snapshots, chain, error: checkError, retrying, recheck } = useCheckedSnapshots(records, view.id, token);
  const [selected, setSelected] = useState<string[]>([]);
  const [label, setLabel] = useState('');
  // A snapshot's label being typed: lost with the page until the snapshot is taken.
  useHoldPageOpen(label.trim() !== '');
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<HistoryView | null>(null);

  const take = async (event: FormEvent) => {
    event.preventDefault();
    if (!label.trim()) return setError('Name the snapshot, e.g. “Draft for board review”.');
    setError(null);
    try {
      await takeSnapshot(view.id, token, label.trim());
      // No listing here: the records room's index already brings the new snapshot, as for everyone.
      setLabel('');
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const toggle = (id: string) => setSelected((now) => (now.includes(id) ? now.filter((s) => s !== id) : [...now, id].slice(-2)));
  const compare = () => setOpen({ kind: 'compare', from: selected[0], to: selected[1] ?? LIVE });
  const toTheSecond = useMemo(() => needSeconds(snapshots.map((s) => s.createdAt)), [snapshots]);

  return (
    <section className="panel history" aria-labelledby="history-title" data-testid="history-panel">
      <h2 className="panel__title" id="history-title">
        History <span className="panel__count">{snapshots.length}</span>
      </h2>
      {can(view.me.role, 'snapshot') && (
        <form className="history__take" onSubmit={take}>
          <input value={label} onChange={(e) => setLabel(e.target.value)} placeholder="Snapshot name" aria-label="Snapshot name" maxLength={200} />
          <button type="submit" className="button button--small">
            Take snapshot
          </button>
        </form>
      )}
      <FormError message={error} />
      {snapshots.length > 0 && <ChainStatus chain={chain} error={checkError} retrying={retrying} recheck={recheck} />}
      <ol className="history__list">
        {[...snapshots].reverse().map((s) => (
          <li key={s.id} className="history__item" data-testid="snapshot-item">
            <label className="history__pick">
              <input type="checkbox" checked={selected.includes(s.id)} onChange={() => toggle(s.id)} aria-label={`Select “${s.label}” to compare`} />
              <span className="history__label">{s.label}</span>
            </label>
            <span className="history__by">
              {personLabel(s.createdBy, view.parties)} · <When iso={s.createdAt} seconds={toTheSecond.has(s.createdAt)} />
            </span>
            <span className="history__hash">
              <code title={s.hash}>{shortHash(s.hash)}</code> <CheckBadge check={s.check} />
            </span>
            <button type="button" className="button button--ghost button--small" onClick={() => setOpen({ kind: 'snapshot', id: s.id })}>
              Open
            </button>
          </li>
        ))}
      </ol>
      {snapshots.length > 0 && (
        <button type="button" className="button button--secondary button--small" disabled={selected.length === 0} onClick={compare}>
          {selected.length === 2 ? 'Compare the two selected' : 'Compare selected with live text'}
        </button>
      )}
      <div className="history__live">
        <span className="panel__hint">Export the live text</span>
        <ExportButtons agreementId={view.id} token={token} snapshotId={LIVE} print />
      </div>
      <PastSessions />
      {open && (
        <HistoryOverlay
          view={open}
          onClose={() => setOpen(null)}
          // The restore's own snapshots reach the records room's index, which checks the list again.
          onRestored={() => setOpen(null)}
        />
      )}
    </section>
  );
}

const CHAIN_TEXT: Record<CheckedSnapshots['chain'], string> = {
  verified: 'Fingerprint chain verified by the server.',
  broken: 'Fingerprint chain broken: a stored snapshot was altered.',
  checking: 'Checking the fingerprints with the server…',
};

function ChainStatus({ chain, error, retrying, recheck }: Pick<CheckedSnapshots, 'chain' | 'error' | 'retrying' | 'recheck'>) {
  if (error && chain === 'checking') {
    return (
      <p className="history__chain history__chain--unchecked" data-testid="chain-status" role="alert">
        Fingerprints not checked: {/[.!?]$/.test(error) ? error : `${error}.`}
        {retrying && ' Trying again shortly.'}{' '}
        <button type="button" className="button button--ghost button--small" onClick={recheck}>
          Check again
        </button>
      </p>
    );
  }
  return (
    <p className={`history__chain history__chain--${chain}`} data-testid="chain-status" aria-live="polite">
      {CHAIN_TEXT[chain]}
    </p>
  );
}

const BADGE: Record<SnapshotCheck, { className: string; text: string }> = {
  verified: { className: 'badge--ok', text: 'verified' },
  altered: { className: 'badge--bad', text: 'altered' },
  checking: { className: 'badge--pending', text: 'checking…' },
};

function CheckBadge({ check }: { check: SnapshotCheck }) {
  const { className, text } = BADGE[check];
  return <span className={`badge ${className}`}>{text}</span>;
}
