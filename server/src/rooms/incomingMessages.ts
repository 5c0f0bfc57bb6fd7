import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import { MESSAGE_WRITER_DELETIONS, MESSAGE_WRITER_IDS } from '#shared/protocol';
import type { DeleteSet } from '#shared/deleteSets';
import { MessageType } from './messages';
import { ProtocolError } from './socket';
import type { Connection } from './connection';
import { nameDeletions, nameWriters } from './namedWriters';

/** What a room does with each kind of message one connection sends. */
export interface MessageHandlers {
  /** A SyncStep1 (answered at most so often: {@link Connection.replies}): the sender's state vector. */
  syncStep1(stateVector: Uint8Array): void;
  /** Changes to the document: a SyncStep2 (`answering` the room's sync request) or an update. */
  changes(update: Uint8Array, answering: boolean): void;
  /** An awareness update. */
  presence(update: Uint8Array): void;
  /** A QueryAwareness (answered at most so often). */
  presenceQuery(): void;
  /** Client ids a connection that may write named as its person's (MESSAGE_WRITER_IDS). */
  writersNamed(clientIds: number[]): void;
  /** What a connection that may write named as deleted by its device (MESSAGE_WRITER_DELETIONS). */
  deletionsNamed(deleted: DeleteSet): void;
}

/** Reads one binary frame of `connection` and hands it to its handler. Throws {@link ProtocolError} for a bad one. */
export function readMessage(message: Uint8Array, connection: Connection, handlers: MessageHandlers): void {
  try {
    dispatch(message, connection, handlers);
  } catch (err) {
    if (err instanceof ProtocolError) throw err;
    throw new ProtocolError(`malformed message: ${(err as Error).message}`);
  }
}

function dispatch(message: Uint8Array, connection: Connection, handlers: MessageHandlers): void {
  const decoder = decoding.createDecoder(message);
  const type = decoding.readVarUint(decoder);
  switch (type) {
    case MessageType.Sync: {
      const syncType = decoding.readVarUint(decoder);
      const payload = decoding.readVarUint8Array(decoder);
      if (syncType === syncProtocol.messageYjsSyncStep1) {
        connection.replies.answer('sync', () => handlers.syncStep1(payload));
      } else if (syncType === syncProtocol.messageYjsSyncStep2 || syncType === syncProtocol.messageYjsUpdate) {
        handlers.changes(payload, syncType === syncProtocol.messageYjsSyncStep2);
      } else {
        throw new ProtocolError(`unknown sync message type ${syncType}`);
      }
      return;
    }
    case MessageType.Awareness:
      handlers.presence(decoding.readVarUint8Array(decoder));
      return;
    case MessageType.QueryAwareness:
      connection.replies.answer('awareness', () => handlers.presenceQuery());
      return;
    case MessageType.Auth:
      // Authentication happens on the upgrade request; this message type has no use here.
      return;
    case MESSAGE_WRITER_IDS: {
      const named = nameWriters(connection, decoder);
      if (connection.canWrite && named.length > 0) handlers.writersNamed(named);
      return;
    }
    case MESSAGE_WRITER_DELETIONS: {
      const named = nameDeletions(connection, decoder);
      if (connection.canWrite) handlers.deletionsNamed(named);
      return;
    }
    default:
      // A newer client may speak message types we do not know: ignore them, as the y-websocket client does.
      throw new ProtocolError(`unknown message type ${type}`, { close: false });
  }
}
