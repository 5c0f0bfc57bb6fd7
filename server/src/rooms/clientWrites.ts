import * as Y from 'yjs';
import type { ClientOrigin } from './origin';
import type { RoomSocket } from './socket';
import type { Connection } from './connection';
import { permissionDeniedMessage } from './messages';
import { addsNothing } from './updateNews';
import { UpdateDeclined } from './guards/updateCost';

/** Whose connection sent an update, for an {@link UpdateGuard}. */
export interface UpdateSource {
  origin: ClientOrigin;
  /** The person whose presence an awareness client id has been in this room, now or earlier (Yjs uses one id for both; nobody else may take it). */
  presentAs(clientId: number): string | undefined;
}

/** Checks a client's update before it is applied (throws to refuse it). */
export type UpdateGuard = (update: Uint8Array, doc: Y.Doc, source: UpdateSource) => void;

/**
 * What a room decides a client's changes by, asked at each one (features set them after the room loads).
 * Made once per room: an object of them made for each update cost about 15 % of a room's receive time.
 */
export interface WriteRules {
  /** No connection's update is applied, whoever sent it (a suggest-only agreement). */
  locked(): boolean;
  /** The text's checks (set by the feature that owns this kind of room). */
  guard(): UpdateGuard | undefined;
  /** The person whose presence an awareness id has been in this room. */
  presentAs(clientId: number): string | undefined;
  /** Counts an update dropped (for tests and metrics), before anything reads it. */
  dropped(): void;
}

/** A refused writer hears why at most this often: a client retrying in a loop gets no flood back. */
const PERMISSION_DENIED_EVERY_MS = 1000;
const READ_ONLY = 'read-only: your role may not change this document';

/**
 * Applies a connection's changes to `doc`: a SyncStep2 (`answering`: its answer to the room's
 * sync request) or an update. A connection that may not write, or changes the guard declines, are
 * dropped and the sender is told why. A guard's other errors, and an unreadable update, throw.
 */
export function applyClientChanges(doc: Y.Doc, socket: RoomSocket, connection: Connection, update: Uint8Array, answering: boolean, rules: WriteRules): void {
  if (!connection.canWrite || rules.locked()) {
    rules.dropped();
    if (!addsNothing(doc, update)) tellRefused(socket, connection);
    return;
  }
  try {
    // Whose presence an id was in this room, not who holds it now: an id is never handed to another person.
    rules.guard()?.(update, doc, { origin: connection.origin, presentAs: rules.presentAs });
  } catch (err) {
    if (!(err instanceof UpdateDeclined)) throw err;
    rules.dropped();
    tellRefused(socket, connection, err.message);
    return;
  }
  connection.answering = answering;
  try {
    Y.applyUpdate(doc, update, connection.origin);
  } finally {
    connection.answering = false;
  }
}

function tellRefused(socket: RoomSocket, connection: Connection, reason = READ_ONLY): void {
  const now = performance.now();
  if (connection.deniedAt !== undefined && now - connection.deniedAt < PERMISSION_DENIED_EVERY_MS) return;
  connection.deniedAt = now;
  socket.send(permissionDeniedMessage(reason));
}
