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
  /** Revoke people or links, issue new links, change roles. */
  managePeople: { roles: ['broker'], denied: 'only a broker manages people and their links' },
  /** Read the audit log (joins, invites, revocations, role and phase changes, exports). */
  readAudit: { roles: ['broker', 'legal'], denied: 'only brokers and legal reviewers read the audit log' },
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
  /** Mark a quick win delivered, or not after all; which negotiators may, by whose objective it is: `canMarkDelivered`. */
  markDelivered: { roles: ['broker', 'negotiator'], denied: 'only a broker or the negotiators of the objective’s parties can mark it delivered' },
  /** Ask every party for its stance on an objective. */
  callForStances: { roles: ['broker'], denied: 'only a broker can call for stances' },
  /** Move the agreement to another life-cycle phase. */
  setPhase: { roles: ['broker'], denied: 'only a broker can change the phase' },
  /** Take a snapshot. */
  snapshot: { roles: ['broker', 'negotiator'], denied: 'only a broker or a negotiator can take a snapshot' },
  /** Make a snapshot's text the live text. */
  restore: { roles: ['broker'], denied: 'only a broker can restore a snapshot' },
  /** Plan a session's agenda, start it, move between items, end it. */
  steerSession: { roles: ['broker'], denied: 'only a broker runs a session' },
  /** Open and close consent rounds. */
  runRound: { roles: ['broker'], denied: 'only a broker opens and closes a consent round' },
  /** Answer in a consent round, for one's own party only (the party comes from the token). */
  answerRound: { roles: ['negotiator'], denied: 'only a party’s negotiators answer for it in a round' },
  /** Raise (and lower) one's own hand in a session. */
  raiseHand: { roles: ['negotiator'], denied: 'only negotiators raise hands' },
  /** Give the floor and lower anyone's hand. */
  manageHands: { roles: ['broker'], denied: 'only a broker gives the floor and lowers other people’s hands' },
  /** Park points and resolve them, record decisions and actions, call caucus breaks. */
  recordSession: { roles: ['broker'], denied: 'only a broker records parked points, decisions, actions and breaks' },
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
  party?: string;
}

/**
 * What a person may do to threads and comments, as BlockNote's ThreadStoreAuth puts it:
 * anyone who comments may start and answer threads; only a comment's author may edit or
 * delete it. A thread is resolved or reopened by its author, the people of its author's
 * party (they answer for it together) or the broker, who runs the session: a legal reviewer
 * or another party replies instead (a reply reopens a resolved thread).
 */
function ownsThread(me: Actor, thread: { createdBy: { personId: string; party?: string } }): boolean {
  if (me.role === 'broker' || thread.createdBy.personId === me.personId) return true;
  return me.party !== undefined && thread.createdBy.party === me.party;
}

export const threadAuth = {
  canCreateThread: (me: Actor) => can(me.role, 'comment'),
  canAddComment: (me: Actor) => can(me.role, 'comment'),
  canUpdateComment: (me: Actor, comment: { author: { personId: string } }) => can(me.role, 'comment') && comment.author.personId === me.personId,
  canDeleteComment: (me: Actor, comment: { author: { personId: string } }) => can(me.role, 'comment') && comment.author.personId === me.personId,
  canResolveThread: (me: Actor, thread: { createdBy: { personId: string; party?: string } }) => can(me.role, 'comment') && ownsThread(me, thread),
  canReopenThread: (me: Actor, thread: { createdBy: { personId: string; party?: string } }) => can(me.role, 'comment') && ownsThread(me, thread),
};
