import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import { MESSAGE_WRITER_DELETIONS, MESSAGE_WRITER_IDS } from '#shared/protocol';
import type { DeleteSet } from '#shared/deleteSets';
import { MessageType } from './messages';
import { ProtocolError, type RoomSocket } from './socket';
import type { Connection } from './connection';
import { nameDeletions, nameWriters } from './namedWriters';

/**
 * What a room does with each kind of message a connection sends. Made once per room, not per
 * message: a handler object a message cost about 15 % of a room's receive time (20,000 one-letter updates).
 */
export interface MessageHandlers {
  /** A SyncStep1 (answered at most so often: {@link Connection.replies}): the sender's state vector. */
  syncStep1(socket: RoomSocket, connection: Connection, stateVector: Uint8Array): void;
  /** Changes to the document: a SyncStep2 (`answering` the room's sync request) or an update. */
  changes(socket: RoomSocket, connection: Connection, update: Uint8Array, answering: boolean): void;
  /** An awareness update. */
  presence(socket: RoomSocket, connection: Connection, update: Uint8Array): void;
  /** A QueryAwareness (answered at most so often). */
  presenceQuery(socket: RoomSocket): void;
  /** Client ids a connection that may write named as its person's (MESSAGE_WRITER_IDS). */
  writersNamed(connection: Connection, clientIds: number[]): void;
  /** What a connection that may write named as deleted by its device (MESSAGE_WRITER_DELETIONS). */
  deletionsNamed(connection: Connection, deleted: DeleteSet): void;
}

/** Reads one binary frame of `socket`'s `connection` and hands it to its handler. Throws {@link ProtocolError} for a bad one. */
export function readMessage(message: Uint8Array, socket: RoomSocket, connection: Connection, handlers: MessageHandlers): void {
  try {
    dispatch(message, socket, connection, handlers);
  } catch (err) {
    if (err instanceof ProtocolError) throw err;
    throw new ProtocolError(`malformed message: ${(err as Error).message}`);
  }
}

function dispatch(message: Uint8Array, socket: RoomSocket, connection: Connection, handlers: MessageHandlers): void {
  const decoder = decoding.createDecoder(message);
  const type = decoding.readVarUint(decoder);
  switch (type) {
    case MessageType.Sync: {
      const syncType = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (syncType === syncProtocol.messageYjsSyncStep1) {
        connection.replies.answer('sync', () => handlers.syncStep1(socket, connection, payload));
      } else if (syncType === syncProtocol.messageYjsSyncStep2 || syncType === syncProtocol.messageYjsUpdate) {
        handlers.changes(socket, connection, payload, syncType === syncProtocol.messageYjsSyncStep2);
      } else {
        throw new ProtocolError(`unknown sync message type ${syncType}`);
      }
      return;
    }
    case MessageType.Awareness:
      handlers.presence(socket, connection, decoding.readVarUint8Array(decoder));
      return;
    case MessageType.QueryAwareness:
      connection.replies.answer('awareness', () => handlers.presenceQuery(socket));
      return;
    case MessageType.Auth:
      // Authentication happens on the upgrade request; this message type has no use here.
      return;
    case MESSAGE_WRITER_IDS: {
      const named = nameWriters(connection, decoder);
      if (connection.canWrite && named.length > 0) handlers.writersNamed(connection, named);
      return;
    }
    case MESSAGE_WRITER_DELETIONS: {
      const named = nameDeletions(connection, decoder);
      if (connection.canWrite) handlers.deletionsNamed(connection, named);
      return;
    }
    default:
      // A newer client may speak message types we do not know: ignore them, as the y-websocket client does.
      throw new ProtocolError(`unknown message type ${type}`, { close: false });
  }
}
