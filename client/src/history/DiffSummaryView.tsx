import type { Party } from '#shared/protocol';
import type { ChangeCount, DiffSummary } from '#shared/snapshots';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function Counts({ title, counts, name }: { title: string; counts: ChangeCount[]; name: (key: string) => string }) {
  if (counts.length === 0) return null;
  return (
    <div className="history-summary__group">
      <h3>{title}</h3>
      <ul>
        {counts.map((c) => (
          <li key={c.key}>
            {name(c.key)}: {plural(c.insertions, 'insertion')}, {plural(c.deletions, 'deletion')}
            {c.facts > 0 ? `, ${plural(c.facts, 'changed fact')}` : ''}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** How many changes, by party, by section and by objective. */
export function DiffSummaryView({ summary, parties }: { summary: DiffSummary; parties: Party[] }) {
  const partyName = (key: string) => parties.find((p) => p.id === key)?.name ?? 'No party (broker)';
  return (
    <section className="history-summary" data-testid="diff-summary">
      <p>
        <strong>{plural(summary.total, 'change')}</strong>: {plural(summary.insertions, 'insertion')}, {plural(summary.deletions, 'deletion')},{' '}
        {plural(summary.facts, 'changed objective fact')}.
      </p>
      <Counts title="By party" counts={summary.byParty} name={partyName} />
      <Counts title="By section" counts={summary.bySection} name={(key) => key || 'Before the first heading'} />
      <Counts title="By objective" counts={summary.byObjective} name={(key) => key} />
    </section>
  );
}
