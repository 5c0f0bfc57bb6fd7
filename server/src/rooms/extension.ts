import type * as Y from 'yjs';
import type { ClientOrigin, TransactionOrigin } from './origin';
import type { Room } from './Room';
import type { DeleteSet } from '#shared/deleteSets';

/**
 * How a feature reacts to live rooms, as Hocuspocus's `Extension`: one object with the
 * hooks it needs, handed to `RoomManager.use` in app.ts. A hook that throws is logged
 * and (but for `ready`, see there) never stops a room from loading, changing or unloading.
 */
export interface RoomExtension {
  /** Repairs a freshly loaded doc before anyone listens to it (the repair is stored, not sent); answers whether it changed it. */
  repairOnLoad?(name: string, doc: Y.Doc): boolean;
  /** A room was loaded from storage; nobody has used it yet. */
  afterLoad?(room: Room): void;
  /**
   * After `afterLoad`: waited for before the room is handed out, for a guard that must
   * know its state before any update is applied. If it rejects, the room is not opened.
   */
  ready?(room: Room): Promise<void>;
  /** A transaction on a loaded room finished (every transaction, empty ones included). */
  onChange?(room: Room, transaction: Y.Transaction, origin: TransactionOrigin): void;
  /** A connection that may write named client ids as ones its person wrote with (their message, or a presence id). */
  onWritersNamed?(room: Room, origin: ClientOrigin, clientIds: number[]): void;
  /** A connection that may write named what its device deleted (MESSAGE_WRITER_DELETIONS). */
  onDeletionsNamed?(room: Room, origin: ClientOrigin, deleted: DeleteSet): void;
  /** A room is about to unload (its state stored, nobody holds it) or the server is closing; its doc is still there. */
  beforeUnload?(room: Room): void;
}
