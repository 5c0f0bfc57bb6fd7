import { randomBytes } from 'node:crypto';
import type * as Y from 'yjs';
import type { Author } from '#shared/records';
import type { DeleteSet } from '#shared/deleteSets';
import type { RoomSocket } from './socket';

/** A change sent by a client connection: its socket (so the relay skips the sender) and the person behind it. */
export interface ClientOrigin {
  kind: 'client';
  socket: RoomSocket;
  author?: Author;
  /**
   * Whether the change being applied may credit `clientId`, an id the authorship log does not know,
   * to this connection's person: an id they named as one they wrote with, or their presence id
   * (namedWriters.ts). Absent: yes (a connection made without a room).
   */
  vouchesFor?: (clientId: number) => boolean;
  /** Which of the change's deletions are its person's, and which nobody's until named (namedWriters.ts `vouchedDeletions`). Absent: all theirs. */
  vouchedDeletions?: (deleted: DeleteSet) => { own: DeleteSet; unclaimed?: DeleteSet };
}

/** A change the server makes itself: a command's record, a template, or a restore on someone's behalf. */
export interface ServerOrigin {
  kind: 'server';
  /** The person the server acts for, when the change should be credited to them (a restore). */
  actingFor?: Author;
}

/** The origin of every transaction on a room's Y.Doc. */
export type TransactionOrigin = ClientOrigin | ServerOrigin;

/** The origin of the server's own writes. */
export const SERVER_ORIGIN: ServerOrigin = Object.freeze({ kind: 'server' });

/**
 * Changes a doc as the server acting for `author`. The change gets a fresh Yjs client id
 * of its own, so its insertions are attributed to that person alone; the server's own id
 * is put back afterwards, or its later writes for nobody would be credited to `author`
 * (the authorship log maps a client id to its first writer).
 */
export function transactAs<T>(doc: Y.Doc, author: Author, change: () => T): T {
  const serverId = doc.clientID;
  doc.clientID = randomBytes(4).readUInt32LE() >>> 1;
  let result!: T;
  const origin: ServerOrigin = { kind: 'server', actingFor: author };
  try {
    doc.transact(() => {
      result = change();
    }, origin);
  } finally {
    doc.clientID = serverId;
  }
  return result;
}
