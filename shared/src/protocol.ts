import type { Role, Sector } from './roles';

/**
 * Websocket close codes, named as Hocuspocus names them. The stock y-websocket client stops
 * for good on 4400-4499 and reconnects (with backoff) after every other code, so a code's
 * range says what the client should do: final refusals sit in 4400-4499, temporary ones
 * outside it. The README has the table.
 */
export const CloseCode = {
  /** Temporary: the server is shutting down (a restart); reconnect. */
  GoingAway: 1001,
  /** A frame over `MAX_MESSAGE_BYTES`; the client must split its updates (ours does). */
  MessageTooBig: 1009,
  /** Temporary: an unexpected server error; reconnect. */
  InternalError: 1011,
  /** Temporary: over the rate limit or the server is overloaded; reconnect after a backoff. */
  TryAgainLater: 1013,
  /** Final: no token, or a bad or expired one. */
  Unauthorized: 4401,
  /** Final: a token for another agreement, or a room not open to this role or party. */
  Forbidden: 4403,
  /** Final: the agreement does not exist. */
  NotFound: 4404,
  /** Final: this person's access was revoked or their link expired; the client shows the access-ended page. */
  AccessEnded: 4410,
  /**
   * Temporary: the person's role changed; the stock client reconnects and gets the new rights,
   * and our client also reloads who it is.
   */
  AccessChanged: 4100,
  /**
   * Temporary: this person already holds the most connections the server allows one person
   * (`maxConnectionsPerPerson`). Refused before any sync, so the stock client retries with a
   * growing backoff and gets in once a place frees: another tab closed, or the dead sockets of a
   * laptop that changed networks dropped (a refusal pings the person's connections at once). The
   * page asks them to close a tab.
   */
  TooManyConnections: 4129,
  /** Temporary: a message the server could not read (a buggy client); reconnect and resync. */
  BadMessage: 4500,
  /** Temporary: several instances, and the one serving the agreement lost its lease; reconnect and the new owner serves it. */
  OwnerLost: 4503,
} as const;

/** The reason a connection is closed with (1013) while the server cannot store changes: its database is away or its disk refuses writes. */
/**
 * The reason of a 4410 close when the broker revoked the person (not just one of their links, which a new link
 * replaces): their page then forgets its copy of the text.
 */
export const ACCESS_REVOKED_REASON = 'your access was revoked';

export const STORAGE_UNAVAILABLE_REASON = 'storage unavailable; reconnecting';

/** The server's default largest websocket message (`MAX_MESSAGE_BYTES`); `/api/health` publishes the one in force. */
export const DEFAULT_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

/**
 * What one text update may hold, and the work (structs plus delete ranges) one connection may ask
 * of its room, as the server checks them by default (`/api/health` publishes its own). The app's
 * client splits and paces what it sends under them: over a limit the server closes the connection.
 */
export interface UpdateAllowance {
  maxStructs: number;
  maxDeleteRanges: number;
  workPerSecond: number;
  /** Work that may be asked at once (the budget's size). */
  workBurst: number;
}

export const DEFAULT_UPDATE_ALLOWANCE: UpdateAllowance = { maxStructs: 10_000, maxDeleteRanges: 5_000, workPerSecond: 20_000, workBurst: 100_000 };

/** Whether the stock y-websocket client gives up after this close code (4400-4499). */
export function isFinalCloseCode(code: number): boolean {
  return code >= 4400 && code < 4500;
}

/**
 * The websocket carries its token in `Sec-WebSocket-Protocol`, not in the URL (URLs reach logs):
 * the client offers {@link COLLAB_PROTOCOL} and `cg-token.<token>`, the server picks the first.
 * `?token=` in the URL is still accepted for older clients; it is redacted from the logs.
 */
export const COLLAB_PROTOCOL = 'common-ground';
export const TOKEN_PROTOCOL_PREFIX = 'cg-token.';

/**
 * Offered beside {@link COLLAB_PROTOCOL} by a client that reads {@link MESSAGE_DEFLATED_SYNC_STEP2}: a
 * newcomer's copy of a long text then comes deflated, about a third of its size for written prose
 * (a first visit on a slow link waits on those bytes). Clients that do not offer it, the stock
 * provider among them, get the plain y-websocket SyncStep2.
 */
export const DEFLATED_SYNC_PROTOCOL = 'cg-deflated-sync';

/**
 * A message type beside y-websocket's (0 to 3): a SyncStep2 whose update is deflated (raw DEFLATE,
 * RFC 1951, as `DecompressionStream('deflate-raw')` reads it). Sent only to a client that offered
 * {@link DEFLATED_SYNC_PROTOCOL}.
 */
export const MESSAGE_DEFLATED_SYNC_STEP2 = 100;

/**
 * A message type beside y-websocket's, from client to server: the Yjs client ids this device wrote the
 * text with (a varUint count, then each id as a varUint). The app's client sends it first on each
 * connection. What a page sends when it syncs may hold others' words the server lost (restored from a
 * backup, or a power cut): the authorship log credits an id the server does not know only to a person
 * who names it, or whose presence id it is. The stock provider sends none; a server that does not know
 * the type drops it (y-websocket's rule for unknown types).
 */
export const MESSAGE_WRITER_IDS = 101;

/** Client ids one connection may name ({@link MESSAGE_WRITER_IDS}); the client keeps its newest this many. */
export const MAX_NAMED_WRITERS = 1000;

/**
 * A message type beside y-websocket's, from client to server: what this device deleted in the text
 * itself (a varUint8Array: a Yjs delete set, encoded as `Y.encodeSnapshot` with an empty state
 * vector). A delete set names no deleter, so the deletions in a page's sync answer (its own unsent
 * ones, and others' the server lost) are credited to its person only within what it named, the
 * rest to nobody until their deleter names them. Sent on each connection by the app's client.
 */
export const MESSAGE_WRITER_DELETIONS = 102;

/** Runs of deleted clocks one connection may name ({@link MESSAGE_WRITER_DELETIONS}); the client keeps its newest this many. */
export const MAX_NAMED_DELETION_RUNS = 10_000;

/** The largest {@link MESSAGE_WRITER_DELETIONS} payload read (that many runs take at most about 60 KB). */
export const MAX_NAMED_DELETIONS_BYTES = 128 * 1024;

/**
 * Offered beside {@link COLLAB_PROTOCOL} by a client that reads {@link MESSAGE_TEXT_STRUCTS}: it then
 * knows, before a newcomer's copy of the text arrives, whether applying it whole would freeze its page.
 */
export const TEXT_STRUCTS_PROTOCOL = 'cg-text-structs';

/**
 * A message type beside y-websocket's: a varUint, how many Yjs structs the room's text holds. Sent
 * just before the answer to a sync request that holds nothing (a newcomer's: the whole text), only to
 * a client that offered {@link TEXT_STRUCTS_PROTOCOL}. What applying a copy costs goes with its
 * structs, not its bytes: 60 pages written once are 270 KB in 2,000 structs (a few milliseconds to
 * apply), 20 pages reworded for months 540 KB in 32,000 (hundreds).
 */
export const MESSAGE_TEXT_STRUCTS = 103;

/** The protocols a client offers to open a room as the token's bearer (the stock provider's `protocols` option). */
export function collabProtocols(
  token: string,
  { deflatedSync = false, textStructs = false }: { deflatedSync?: boolean; textStructs?: boolean } = {},
): string[] {
  return [COLLAB_PROTOCOL, TOKEN_PROTOCOL_PREFIX + token, ...(deflatedSync ? [DEFLATED_SYNC_PROTOCOL] : []), ...(textStructs ? [TEXT_STRUCTS_PROTOCOL] : [])];
}

export interface Party {
  id: string;
  name: string;
  sector: Sector;
  /** Display colour for this party's people (carets, avatars, highlights). */
  color: string;
}

/** What a token says about its bearer. */
export interface Identity {
  agreementId: string;
  role: Role;
  name: string;
  /** Party id for negotiators (and optionally others). */
  party?: string;
  /** Stable id of this person (one per invite). */
  personId: string;
  /** Id (`jti`) of the link this request came with. */
  linkId?: string;
}

export interface AgreementSummary {
  id: string;
  title: string;
  parties: Party[];
  createdAt: string;
}

/** Longest agreement title, in characters (the form says so before the server refuses it). */
export const MAX_TITLE_LENGTH = 200;

export interface CreateAgreementRequest {
  title: string;
  parties?: { name: string; sector: Sector }[];
  /** Display name of the broker who creates it. */
  creatorName?: string;
  /** 'partnering' starts from the partnering-agreement template; 'blank' (the default) from an empty page. */
  template?: 'partnering' | 'blank';
}

export interface CreateAgreementResponse extends AgreementSummary {
  token: string;
  url: string;
}

export interface InviteRequest {
  role: Role;
  name: string;
  party?: string;
  /** Days the link stays valid, 1 to 365, or null for never (default 30). */
  expiresInDays?: number | null;
}

export interface InviteResponse {
  token: string;
  url: string;
  personId: string;
  /** ISO time the link expires, or null. */
  expiresAt: string | null;
  role: Role;
  name: string;
  party?: string;
}

/** `GET /api/agreements/:id`: the agreement as seen by the token's bearer. */
export interface AgreementView extends AgreementSummary {
  me: Identity;
}

/** What each client puts in awareness under `user` (CollaborationCaret reads name and color). */
export interface PresenceUser {
  name: string;
  color: string;
  role: Role;
  personId: string;
  party?: string;
  partyName?: string;
  /**
   * Set by the server only, on a negotiator of another party during a caucus break: their presence
   * reaches the others without a caret (server/src/features/sessions/caucusScreen.ts).
   */
  inCaucus?: boolean;
}

/** Path on this server that opens an agreement in the browser as the token's bearer. */
export function agreementPath(agreementId: string, token: string): string {
  return `/a/${agreementId}#token=${token}`;
}

/**
 * The words a refusal of an update's content starts with, as the server closes the connection for it
 * (4500) or declines it: the app's client takes such a close as a refusal of that change for good,
 * since the change would come again with every reconnect.
 */
export const UPDATE_REFUSED = 'update refused: ';
