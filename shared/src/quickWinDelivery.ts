import type { Author } from './records';
import type { Role } from './roles';

/**
 * A quick win marked delivered, in the records' `quickWinDeliveries` by objective id. Delivery is a fact
 * about the world, not a wording of the agreement: it stays out of the text, so it never shows as a change
 * to agree on, a suggestion or a difference between snapshots.
 */
export interface QuickWinDelivery {
  objectiveId: string;
  by: Author;
  at: string;
}

/**
 * Who may mark a quick win delivered (or not delivered after all): the broker, and the negotiators of the
 * parties it belongs to: any party's for a shared objective, only that party's for a party's own
 * (`scope` is 'shared' or that party's id). Legal reviewers, observers and the other party read it.
 */
export function canMarkDelivered(me: { role: Role; party?: string }, scope: string): boolean {
  if (me.role === 'broker') return true;
  if (me.role !== 'negotiator' || !me.party) return false;
  return scope === '' || scope === 'shared' || scope === me.party;
}

/**
 * The delivery to show for an objective: only while it is a quick win. One that stops being a quick win,
 * or leaves the text, keeps its record unseen; a later change that makes it one again (an undo, a restore)
 * shows it again.
 */
export function shownDelivery(objective: { id: string; quickWin: boolean }, deliveries: Record<string, QuickWinDelivery>): QuickWinDelivery | undefined {
  return objective.quickWin ? deliveries[objective.id] : undefined;
}
