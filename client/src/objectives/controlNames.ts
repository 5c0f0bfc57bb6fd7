import type { AgreementView } from '#shared/protocol';
import { canEditObjective } from '#shared/objectiveOwnership';

/**
 * The accessible names of an objective's controls, given the objective in words (`named`, “Safe water”).
 * The controls and their stand-ins (ObjectiveStandIns.tsx) both take them from here: a focused stand-in
 * finds its control by its name.
 */
export const controlName = {
  scope: (named: string) => `Whose objective: ${named}`,
  quickWin: (named: string) => `Quick win: ${named}`,
  fact: (label: string, named: string) => `${label} of ${named}`,
  targetDate: (named: string) => `Target date of ${named}`,
  delivered: (named: string) => `Delivered: ${named}`,
};

/** What the scope's select offers: shared, and each party whose own objectives this person may write (and the one it has). */
export function scopeChoices(view: AgreementView, scope: string): { id: string; label: string }[] {
  const parties = view.parties.filter((p) => p.id === scope || canEditObjective(view.me, p.id));
  return [{ id: 'shared', label: 'Shared' }, ...parties.map((p) => ({ id: p.id, label: `${p.name}'s own` }))];
}

/** The head's word for whose objective it is: “River NGO's own objective”, or “Shared objective”. */
export function scopeKind(view: AgreementView, scope: string): string {
  const owner = view.parties.find((p) => p.id === scope);
  return owner ? `${owner.name}'s own objective` : 'Shared objective';
}
