import type { Role } from './roles';
import type { ActionOwner } from './sessions';

/**
 * Who may mark an action done (or open again): the broker who records actions, and whoever owns it:
 * the person named, or a negotiator of the party named. Others read it.
 */
export function canMarkActionDone(me: { role: Role; personId: string; party?: string }, owner: ActionOwner): boolean {
  if (me.role === 'broker') return true;
  if (owner.kind === 'person') return owner.id === me.personId;
  return me.role === 'negotiator' && me.party === owner.id;
}
