import type { Role } from './roles';

/**
 * A party's own objective is written by that party's negotiators and the broker only;
 * shared objectives by every negotiator and the broker. Others comment or suggest.
 */
export function canEditObjective(me: { role: Role; party?: string }, scope: unknown): boolean {
  if (me.role === 'broker') return true;
  if (me.role !== 'negotiator') return false;
  return scope === undefined || scope === null || scope === '' || scope === 'shared' || scope === me.party;
}
