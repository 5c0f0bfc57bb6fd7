/**
 * Codes of the API's error answers, `{ error, code }`: `error` is text for people, `code`
 * is what a program checks (the text may be reworded, a code never changes meaning).
 */
export const ErrorCode = {
  /** The request does not match the route's schema (wrong type, unknown field, too long). */
  InvalidRequest: 'invalid_request',
  /** Any other malformed request (unreadable JSON, say). */
  BadRequest: 'bad_request',
  /** No token, or one that is forged, expired or malformed. */
  Unauthorized: 'unauthorized',
  /** The link has expired: the broker can give a new one (401). */
  LinkExpired: 'link_expired',
  /** The person's access, or this link, was revoked (401). */
  AccessRevoked: 'access_revoked',
  /** Over a rate limit (429, with Retry-After). */
  RateLimited: 'rate_limited',
  /** The change would leave the agreement without a broker (409). */
  LastBroker: 'last_broker',
  /** A party was given for a role that has none: only negotiators belong to a party. */
  PartyNotAllowed: 'party_not_allowed',
  /** The person was revoked: give them a new link before changing their role (409). */
  PersonRevoked: 'person_revoked',
  PersonNotFound: 'person_not_found',
  LinkNotFound: 'link_not_found',
  /** The token is for another agreement. */
  WrongAgreement: 'wrong_agreement',
  /** The token's role may not do this (see shared/src/permissions.ts). */
  Forbidden: 'forbidden',
  /** The comment is someone else's. */
  NotAuthor: 'not_author',
  /** A stance for a party that is not the asker's. */
  WrongParty: 'wrong_party',
  /** A caucus asked for by someone who speaks for no party. */
  NoCaucus: 'no_caucus',
  RouteNotFound: 'route_not_found',
  AgreementNotFound: 'agreement_not_found',
  ObjectiveNotFound: 'objective_not_found',
  ThreadNotFound: 'thread_not_found',
  CommentNotFound: 'comment_not_found',
  SnapshotNotFound: 'snapshot_not_found',
  /** The snapshot's stored text no longer hashes to its fingerprint: it was altered after it was taken (409). */
  SnapshotAltered: 'snapshot_altered',
  UnknownParty: 'unknown_party',
  PartyRequired: 'party_required',
  UnknownMention: 'unknown_mention',
  /** A private (caucus) thread mentioning someone who cannot read it: another party, its people, a broker. */
  MentionOutsideCaucus: 'mention_outside_caucus',
  AnchorRequired: 'anchor_required',
  /** The anchor's positions are not (yet) in the server's text: the client may retry once its edits arrive. */
  AnchorUnresolved: 'anchor_unresolved',
  AnchorEmpty: 'anchor_empty',
  ReasonRequired: 'reason_required',
  /** The objective's text changed since the caller read its hash. */
  ObjectiveChanged: 'objective_changed',
  /** The objective is in the text but is not a quick win: only a quick win is marked delivered (409). */
  NotAQuickWin: 'not_a_quick_win',
  SessionNotFound: 'session_not_found',
  AgendaItemNotFound: 'agenda_item_not_found',
  RoundNotFound: 'round_not_found',
  ParkedPointNotFound: 'parked_point_not_found',
  ActionNotFound: 'action_not_found',
  /** The session is not in a state where the command fits: not started, ended, another one active, a round already open or closed. */
  SessionState: 'session_state',
  /** The session already keeps as many decisions (or actions) as one session may (409). */
  TooManySessionNotes: 'too_many_session_notes',
  /** Another broker saved the agenda since the caller read the version it edited (409). */
  AgendaChanged: 'agenda_changed',
  /** The consent round is about another version of the objective than the one the caller read. */
  RoundObjectiveChanged: 'round_objective_changed',
  TooManyThreads: 'too_many_threads',
  TooManySnapshots: 'too_many_snapshots',
  /** The agreement lists as many people as it may (409): give an existing person a new link instead. */
  TooManyPeople: 'too_many_people',
  SuggestionNotFound: 'suggestion_not_found',
  /** The text under a suggestion changed since it was made: it can no longer be accepted. */
  SuggestionOutdated: 'suggestion_outdated',
  /** The suggestion was already accepted or rejected. */
  SuggestionDecided: 'suggestion_decided',
  /** The change is not one a suggestion can hold (it spans blocks, or its blocks do not fit there). */
  SuggestionShape: 'suggestion_shape',
  /** The suggestion changes nothing. */
  SuggestionEmpty: 'suggestion_empty',
  TooManySuggestions: 'too_many_suggestions',
  TooManyComments: 'too_many_comments',
  /** A thread, or all threads of an agreement, would pass their size limit (413). */
  ThreadsTooLarge: 'threads_too_large',
  /** Another 4xx without a code of its own (413, 415...). */
  Refused: 'refused',
  /** Several instances: the agreement cannot be served right now (changing owner, database away); retry. */
  Unavailable: 'unavailable',
  /** The database cannot be reached right now (503, with Retry-After); nothing was changed as far as the server knows. */
  StorageUnavailable: 'storage_unavailable',
  /** A stored record could not be read (its file damaged on disk); the log names it, nothing was changed (500). */
  StorageDamaged: 'storage_damaged',
  /** An id the client chose is another person's thread or comment already (409). */
  IdTaken: 'id_taken',
  /** Our own fault; logged on the server. */
  Internal: 'internal',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** The body of every error answer. */
export interface ErrorBody {
  error: string;
  code: ErrorCode;
}
