import { useEffect, useMemo, useState } from 'react';
import type { DiffResult } from '#shared/snapshots';
import { useAgreement } from '../agreement/AgreementContext';
import { diffExtensions } from './changeMarks';
import { DocumentHtml } from './DocumentHtml';
import { diffSnapshots } from './historyApi';
import { prepareDiff } from './prepareDiff';
import { DiffSummaryView } from './DiffSummaryView';
import { formatDate } from './format';

/** Two versions compared: insertions and deletions in place, coloured by party, with a summary and a party filter. */
export function CompareView({ from, to }: { from: string; to: string }) {
  const { view, token } = useAgreement();
  const [diff, setDiff] = useState<DiffResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [party, setParty] = useState<string | null>(null);
  const extensions = useMemo(() => diffExtensions(), []);

  useEffect(() => {
    diffSnapshots(view.id, token, from, to).then(setDiff, (err: Error) => setError(err.message));
  }, [view.id, token, from, to]);

  const shown = useMemo(() => (diff ? prepareDiff(diff.content, view.parties, party) : null), [diff, view.parties, party]);

  if (error) return <p className="form-error" role="alert">{error}</p>;
  if (!diff || !shown) return <p className="panel__hint">Comparing…</p>;
  const when = (v: DiffResult['from']) => (v.id === 'live' ? 'now' : formatDate(v.createdAt));
  return (
    <div className="history-compare" data-testid="compare-view">
      <header className="history-meta">
        <h2>
          {diff.from.label} → {diff.to.label}
        </h2>
        <p className="panel__hint">
          From {when(diff.from)} to {when(diff.to)}. Insertions are underlined, deletions struck through, in the colour of the party that made them.
        </p>
        <DiffSummaryView summary={diff.summary} parties={view.parties} />
        <label className="history-filter">
          Show changes by{' '}
          <select value={party ?? ''} onChange={(e) => setParty(e.target.value || null)} data-testid="party-filter">
            <option value="">every party</option>
            {view.parties.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} only
              </option>
            ))}
          </select>
        </label>
      </header>
      <DocumentHtml content={shown} extensions={extensions} testId="compare-document" />
    </div>
  );
}
