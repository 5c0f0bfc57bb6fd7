import type * as Y from 'yjs';
import type { FastifyBaseLogger } from 'fastify';
import { contentFragment } from '../../../shared/src/anchors';
import { repairAnchor } from '../../../shared/src/anchorRepair';
import { RecordsKey } from '../../../shared/src/records';
import { caucusRoom, parseRoom, recordsRoom } from '../../../shared/src/rooms';
import type { Thread, ThreadAnchor } from '../../../shared/src/threads';
import type { Room } from '../rooms/Room';
import type { RoomManager } from '../rooms/RoomManager';
import type { Storage } from '../storage/port';
import { writeRoom } from './write';

interface Repair {
  room: string;
  threadId: string;
  was: ThreadAnchor;
  anchor: ThreadAnchor;
}

/**
 * Keeps thread anchors on their passage through structural edits. When a paragraph is
 * split, joined or rewrapped, the editor binding deletes the text and inserts it anew, and
 * an anchor stuck to the deleted characters would report the passage as deleted. While an
 * agreement's text is loaded, this follows its threads (shared and every caucus), and after
 * each change that deleted a thread's first or last character it looks for the same passage
 * at the same place and, when found, moves the anchor there (the server alone writes threads).
 */
export class AnchorKeeper {
  constructor(
    private readonly rooms: RoomManager,
    private readonly storage: Storage,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Follows a content room from its load until it unloads; other rooms are left alone. */
  attach(content: Room): void {
    const ref = parseRoom(content.name);
    if (!ref || ref.kind !== 'content') return;
    const fragment = contentFragment(content.doc);
    const followed: Room[] = [];
    let closed = false;

    content.doc.on('afterTransaction', (transaction: Y.Transaction) => {
      if (closed || transaction.deleteSet.clients.size === 0) return;
      const repairs: Repair[] = [];
      for (const room of followed) {
        if (room.closed) continue;
        for (const [threadId, thread] of room.doc.getMap<Thread>(RecordsKey.threads)) {
          if (!thread.anchor) continue;
          const anchor = repairAnchor(content.doc, fragment, thread.anchor, transaction);
          if (anchor) repairs.push({ room: room.name, threadId, was: thread.anchor, anchor });
        }
      }
      if (repairs.length > 0) void this.write(repairs);
    });

    content.doc.on('destroy', () => {
      closed = true;
      for (const room of followed.splice(0)) if (!room.closed) this.rooms.release(room);
    });

    void (async () => {
      try {
        const record = await this.storage.getAgreement(ref.agreementId);
        if (!record) return;
        const names = [recordsRoom(ref.agreementId), ...record.parties.map((p) => caucusRoom(ref.agreementId, p.id))];
        for (const name of names) {
          const room = await this.rooms.acquire(name);
          if (closed) {
            this.rooms.release(room);
            return;
          }
          followed.push(room);
        }
      } catch (err) {
        this.log.error({ err, room: content.name }, 'could not follow the threads of a document');
      }
    })();
  }

  private async write(repairs: Repair[]): Promise<void> {
    for (const repair of repairs) {
      try {
        await writeRoom(this.rooms, repair.room, (doc) => {
          const threads = doc.getMap<Thread>(RecordsKey.threads);
          const thread = threads.get(repair.threadId);
          // Unless the thread changed meanwhile.
          if (!thread?.anchor || thread.anchor.start !== repair.was.start || thread.anchor.end !== repair.was.end) return;
          threads.set(repair.threadId, { ...thread, anchor: repair.anchor });
        });
      } catch (err) {
        this.log.error({ err, room: repair.room }, 'could not repair a thread anchor');
      }
    }
  }
}
