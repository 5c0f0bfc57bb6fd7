import { useEffect, useMemo, useState } from 'react';
import type { DiffResult } from '#shared/snapshots';
import { useAgreementAccess } from '../agreement/AgreementContext';
import { diffExtensions } from './changeMarks';
import { DocumentHtml } from './DocumentHtml';
import { diffSnapshots, downloadRedline, objectiveChanges } from './historyApi';
import { prepareDiff } from './prepareDiff';
import { DiffSummaryView } from './DiffSummaryView';
import { When, needSeconds } from '../ui/When';
import { FormError } from '../ui/FormError';

/** What to compare: two versions, or one objective since a party's stance on it. */
export type CompareSource = { from: string; to: string } | { objectiveId: string; party: string; partyName: string };

/** Two versions compared: insertions and deletions in place, coloured by party, with a summary and a party filter. */
export function CompareView({ source }: { source: CompareSource }) {
  const { view, token } = useAgreementAccess();
  const [diff, setDiff] = useState<DiffResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [party, setParty] = useState<string | null>(null);
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const extensions = useMemo(() => diffExtensions(view.parties), [view.parties]);
  const key = JSON.stringify(source);

  useEffect(() => {
    const load =
      'objectiveId' in source ? objectiveChanges(view.id, token, source.objectiveId, source.party) : diffSnapshots(view.id, token, source.from, source.to);
    load.then(setDiff, (err: Error) => setError(err.message));
  }, [view.id, token, key]);

  const shown = useMemo(() => (diff ? prepareDiff(diff.content, view.parties, party, diff.facts) : null), [diff, view.parties, party]);

  if (error) return <FormError message={error} />;
  if (!diff || !shown) return <p className="panel__hint">Comparing…</p>;
  // Two versions of one minute are told apart by their seconds.
  const toTheSecond = needSeconds([diff.from.createdAt, diff.to.createdAt]);
  const when = (v: DiffResult['from']) => (v.id === 'live' ? 'now' : <When iso={v.createdAt} seconds={toTheSecond.has(v.createdAt)} />);
  return (
    <div className="history-compare" data-testid="compare-view">
      <header className="history-meta">
        <h2>{'objectiveId' in source ? `Changes to this objective since ${source.partyName} stated its stance` : `${diff.from.label} → ${diff.to.label}`}</h2>
        <p className="panel__hint">
          From {when(diff.from)} to {when(diff.to)}. Insertions are underlined, deletions struck through, in the colour of the party that made them.
        </p>
        <DiffSummaryView summary={diff.summary} parties={view.parties} />
        <label className="history-filter">
          Show changes by{' '}
          <select className="ellipsis-select" value={party ?? ''} onChange={(e) => setParty(e.target.value || null)} data-testid="party-filter">
            <option value="">every party</option>
            {view.parties.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} only
              </option>
            ))}
          </select>
        </label>
        {'from' in source && (
          // In the actions: a printed comparison shows no button.
          <div className="history-actions">
            <button
              type="button"
              className="button button--secondary button--small"
              onClick={() => {
                setDownloadError(null);
                downloadRedline(view.id, token, source.from, source.to).catch((err: Error) => setDownloadError(err.message));
              }}
            >
              Word redline (.docx)
            </button>
            <FormError message={downloadError} />
          </div>
        )}
      </header>
      <DocumentHtml content={shown} extensions={extensions} testId="compare-document" />
    </div>
  );
}
