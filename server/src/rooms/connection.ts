import * as Y from 'yjs';
import type { JoinOptions, RoomSocket } from './socket';
import type { ClientOrigin } from './origin';
import type { PresenceHolder } from './presence';
import { ReplyThrottle } from './guards/replyThrottle';
import { vouchedDeletions, vouches, type WriterVouch } from './namedWriters';

/** What a room knows of one joined socket: its rights, the presence ids it speaks for, and the writers it names. */
export interface Connection extends JoinOptions, PresenceHolder, WriterVouch {
  /** The origin of the transactions that apply this connection's updates. */
  origin: ClientOrigin;
  /** When this connection was last told that a write was refused (performance.now()). */
  deniedAt?: number;
  /** SyncStep1 and QueryAwareness answers: tiny requests for replies as big as the room. */
  replies: ReplyThrottle;
}

/** Shortest time between two answers to one connection's SyncStep1 (or QueryAwareness). */
const REPLY_INTERVAL_MS = 500;

/**
 * The connection of a socket joining with `options`. `personOf` tells whose presence an awareness
 * id has been in the room, read at each check (the room's bindings may be replaced after it loads).
 */
export function newConnection(socket: RoomSocket, options: JoinOptions, personOf: (clientId: number) => string | undefined): Connection {
  const connection: Connection = {
    ...options,
    awarenessIds: new Set(),
    claimedIds: new Set(),
    namedIds: new Set(),
    namedDeletions: Y.createDeleteSet(),
    answering: false,
    announced: false,
    origin: { kind: 'client', socket, author: options.author },
    replies: new ReplyThrottle(REPLY_INTERVAL_MS),
  };
  connection.origin.vouchesFor = (clientId) => vouches(connection, personOf, clientId);
  connection.origin.vouchedDeletions = (deleted) => vouchedDeletions(connection, deleted);
  return connection;
}
