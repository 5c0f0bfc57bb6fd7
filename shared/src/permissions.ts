import { ROLES, type Role } from './roles';

/**
 * Who may do what in an agreement: one table, read by the server (each route of the
 * agreement scope names its action) and by the client (which controls it shows).
 * `denied` is the 403 answer's text.
 */
export const PERMISSIONS = {
  /** Open the agreement, its records, threads, snapshots, diffs and exports. */
  read: { roles: ROLES, denied: 'you cannot read this agreement' },
  /** Co-write the agreement text (room `<agreementId>`). */
  writeText: { roles: ['broker', 'negotiator'], denied: 'only a broker or a negotiator can edit the text' },
  /** Invite people. */
  invite: { roles: ['broker'], denied: 'only a broker can invite people' },
  /** Write comment threads: a legal reviewer comments on text they cannot edit; observers only read. */
  comment: { roles: ['broker', 'negotiator', 'legal'], denied: 'observers read threads but cannot write them' },
  /** Propose changes to the text as suggestions: everyone who may comment, legal reviewers included. */
  suggest: { roles: ['broker', 'negotiator', 'legal'], denied: 'observers cannot suggest changes' },
  /** Accept or reject suggestions: the people who write the text. */
  decideSuggestion: { roles: ['broker', 'negotiator'], denied: 'only a broker or a negotiator can accept or reject a suggestion' },
  /** Make the agreement suggest-only (no direct edits), or lift it. */
  setSuggestOnly: { roles: ['broker'], denied: 'only a broker can make the agreement suggest-only' },
  /** State their own party's stance on an objective (the party comes from the token). */
  stateStance: { roles: ['negotiator'], denied: 'only a negotiator can state a party’s stance' },
  /** Ask every party for its stance on an objective. */
  callForStances: { roles: ['broker'], denied: 'only a broker can call for stances' },
  /** Move the agreement to another life-cycle phase. */
  setPhase: { roles: ['broker'], denied: 'only a broker can change the phase' },
  /** Take a snapshot. */
  snapshot: { roles: ['broker', 'negotiator'], denied: 'only a broker or a negotiator can take a snapshot' },
  /** Make a snapshot's text the live text. */
  restore: { roles: ['broker'], denied: 'only a broker can restore a snapshot' },
} as const satisfies Record<string, { roles: readonly Role[]; denied: string }>;

export type Action = keyof typeof PERMISSIONS;

/** Whether a role may do an action. */
export function can(role: Role, action: Action): boolean {
  return (PERMISSIONS[action].roles as readonly Role[]).includes(role);
}

/** The person asking, as far as permissions go (an Identity or an Author fits). */
export interface Actor {
  role: Role;
  personId: string;
}

/**
 * What a person may do to threads and comments, as BlockNote's ThreadStoreAuth puts it:
 * anyone who comments may start, answer, resolve and reopen threads; only a comment's
 * author may edit or delete it.
 */
export const threadAuth = {
  canCreateThread: (me: Actor) => can(me.role, 'comment'),
  canAddComment: (me: Actor) => can(me.role, 'comment'),
  canUpdateComment: (me: Actor, comment: { author: { personId: string } }) => can(me.role, 'comment') && comment.author.personId === me.personId,
  canDeleteComment: (me: Actor, comment: { author: { personId: string } }) => can(me.role, 'comment') && comment.author.personId === me.personId,
  canResolveThread: (me: Actor) => can(me.role, 'comment'),
  canReopenThread: (me: Actor) => can(me.role, 'comment'),
};
