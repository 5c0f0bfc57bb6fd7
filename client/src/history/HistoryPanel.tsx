import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { RecordsKey } from '#shared/records';
import { can } from '#shared/permissions';
import { LIVE, type VerifiedSnapshot } from '#shared/snapshots';
import { useAgreement } from '../agreement/AgreementContext';
import { useRoomSynced } from '../session/useServerRoom';
import { PastSessions } from '../session/console/PastSessions';
import { ExportButtons } from './ExportButtons';
import { HistoryOverlay, type HistoryView } from './HistoryOverlay';
import { listSnapshots, takeSnapshot } from './historyApi';
import { personLabel, shortHash } from './format';
import { When, needSeconds } from '../ui/When';
import './history.css';

/** The agreement's snapshots: take one, open one, compare two (or one with the live text), export. */
export function HistoryPanel() {
  const { view, token, records } = useAgreement();
  const recordsSynced = useRoomSynced(records);
  const [snapshots, setSnapshots] = useState<VerifiedSnapshot[]>([]);
  const [selected, setSelected] = useState<string[]>([]);
  const [label, setLabel] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<HistoryView | null>(null);

  const refresh = useCallback(() => {
    listSnapshots(view.id, token).then(setSnapshots, (err: Error) => setError(err.message));
  }, [view.id, token]);

  // The records room's snapshot index changes whenever anyone (or the server itself) takes one.
  // Read the list once the room has synced (before, its first state arriving would read it again),
  // and again after a reconnect (snapshots may have been taken meanwhile).
  useEffect(() => {
    if (!records || !recordsSynced) return;
    refresh();
    const index = records.doc.getArray(RecordsKey.snapshots);
    index.observe(refresh);
    return () => index.unobserve(refresh);
  }, [records, recordsSynced, refresh]);

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
  const broken = snapshots.some((s) => !s.chainValid);
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
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {snapshots.length > 0 && (
        <p className={`history__chain ${broken ? 'history__chain--broken' : ''}`} data-testid="chain-status">
          {broken ? 'Fingerprint chain broken: a stored snapshot was altered.' : 'Fingerprint chain verified by the server.'}
        </p>
      )}
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
              <code title={s.hash}>{shortHash(s.hash)}</code>{' '}
              <span className={`badge ${s.verified ? 'badge--ok' : 'badge--bad'}`}>{s.verified ? 'verified' : 'altered'}</span>
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
          onRestored={() => {
            setOpen(null);
            refresh();
          }}
        />
      )}
    </section>
  );
}
