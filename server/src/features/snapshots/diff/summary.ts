import type { ChangeCount, DiffSummary } from '#shared/snapshots';

/** A run of inserted text, a run of deleted text, or one changed objective fact. */
type Kind = 'insertion' | 'deletion' | 'fact';

/** Counts changes by party, section and objective while a diff is rendered. */
export class SummaryCounter {
  private insertions = 0;
  private deletions = 0;
  private facts = 0;
  private readonly byParty = new Map<string, ChangeCount>();
  private readonly bySection = new Map<string, ChangeCount>();
  private readonly byObjective = new Map<string, ChangeCount>();

  /** Changes counted so far. */
  get changes(): number {
    return this.insertions + this.deletions + this.facts;
  }

  count(kind: Kind, party: string, section: string, objective: string | null): void {
    if (kind === 'insertion') this.insertions++;
    else if (kind === 'deletion') this.deletions++;
    else this.facts++;
    bump(this.byParty, party, kind);
    bump(this.bySection, section, kind);
    if (objective !== null) bump(this.byObjective, objective, kind);
  }

  result(): DiffSummary {
    return {
      total: this.insertions + this.deletions + this.facts,
      insertions: this.insertions,
      deletions: this.deletions,
      facts: this.facts,
      byParty: [...this.byParty.values()],
      bySection: [...this.bySection.values()],
      byObjective: [...this.byObjective.values()],
    };
  }
}

function bump(counts: Map<string, ChangeCount>, key: string, kind: Kind): void {
  let entry = counts.get(key);
  if (!entry) {
    entry = { key, insertions: 0, deletions: 0, facts: 0 };
    counts.set(key, entry);
  }
  if (kind === 'insertion') entry.insertions++;
  else if (kind === 'deletion') entry.deletions++;
  else entry.facts++;
}
