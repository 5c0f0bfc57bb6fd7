import type { ChangeCount, DiffSummary } from '#shared/snapshots';

/** Counts changes by party, section and objective while a diff is rendered. */
export class SummaryCounter {
  private insertions = 0;
  private deletions = 0;
  private readonly byParty = new Map<string, ChangeCount>();
  private readonly bySection = new Map<string, ChangeCount>();
  private readonly byObjective = new Map<string, ChangeCount>();

  count(kind: 'insertion' | 'deletion', party: string, section: string, objective: string | null): void {
    if (kind === 'insertion') this.insertions++;
    else this.deletions++;
    bump(this.byParty, party, kind);
    bump(this.bySection, section, kind);
    if (objective !== null) bump(this.byObjective, objective, kind);
  }

  result(): DiffSummary {
    return {
      total: this.insertions + this.deletions,
      insertions: this.insertions,
      deletions: this.deletions,
      byParty: [...this.byParty.values()],
      bySection: [...this.bySection.values()],
      byObjective: [...this.byObjective.values()],
    };
  }
}

function bump(counts: Map<string, ChangeCount>, key: string, kind: 'insertion' | 'deletion'): void {
  let entry = counts.get(key);
  if (!entry) {
    entry = { key, insertions: 0, deletions: 0 };
    counts.set(key, entry);
  }
  if (kind === 'insertion') entry.insertions++;
  else entry.deletions++;
}
