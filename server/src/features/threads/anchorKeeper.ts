import type * as Y from 'yjs';
import type { Logger } from '../../log';
import { contentFragment } from '#shared/anchors';
import { anchorRestorer, insertedCount, repairAnchor } from '#shared/anchorRepair';
import { caucusRoom, parseRoom, recordsRoom } from '#shared/rooms';
import type { ThreadAnchor } from '#shared/threads';
import { setThreadAnchor, threadAnchor, threadQuote, threadsOf } from '#shared/threadStore';
import type { RoomExtension } from '../../rooms/extension';
import type { Room } from '../../rooms/Room';
import type { RoomManager } from '../../rooms/RoomManager';
import type { Storage } from '../../storage/port';
import { writeRoom } from '../../records/write';

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
 * A detached thread whose words a change puts back (an undo, a paste) is anchored on them again.
 */
export class AnchorKeeper implements RoomExtension {
  /** The thread rooms' watcher of each agreement whose text is loaded. */
  private readonly watchers = new Map<string, (room: Room) => void>();
  /** What to do on each change and at unload, for each content room followed. */
  private readonly following = new Map<Room, { changed(transaction: Y.Transaction): void; unload(): void }>();

  constructor(
    private readonly rooms: RoomManager,
    private readonly storage: Storage,
    private readonly log: Logger,
  ) {}

  /** Follows content rooms, and notices thread rooms of followed ones. */
  afterLoad(room: Room): void {
    const ref = parseRoom(room.name);
    if (ref?.kind === 'content') this.follow(room, ref.agreementId);
    else if (ref) this.watchers.get(ref.agreementId)?.(room);
  }

  onChange(room: Room, transaction: Y.Transaction): void {
    this.following.get(room)?.changed(transaction);
  }

  beforeUnload(room: Room): void {
    this.following.get(room)?.unload();
    this.following.delete(room);
  }

  /**
   * Follows a content room from its load until it unloads. Its thread rooms (shared and
   * every caucus) are held only while they hold an anchored thread: an empty one is
   * watched while something else keeps it loaded, and noticed again when it next loads.
   */
  private follow(content: Room, agreementId: string): void {
    const fragment = contentFragment(content.doc);
    const followed = new Set<Room>();
    let closed = false;

    const hold = async (room: Room) => {
      const held = await this.rooms.acquire(room.name);
      if (closed || followed.has(held)) return this.rooms.release(held);
      followed.add(held);
    };
    const watch = (room: Room) => {
      const threads = threadsOf(room.doc);
      const check = () => {
        if (closed || followed.has(room) || room.closed) return;
        if ([...threads.values()].some((thread) => threadAnchor(thread))) {
          threads.unobserve(check);
          void hold(room).catch((err: unknown) => this.log.error({ err, room: room.name }, 'could not follow threads'));
        }
      };
      threads.observe(check);
      check();
    };
    this.watchers.set(agreementId, watch);

    const changed = (transaction: Y.Transaction) => {
      if (closed) return;
      const deleted = transaction.deleteSet.clients.size > 0;
      // A keystroke inserts one character: no passage comes back with it, and it is most changes.
      const inserted = insertedCount(transaction) > 1;
      if (!deleted && !inserted) return;
      const repairs: Repair[] = [];
      const restore = inserted ? anchorRestorer(content.doc, fragment, transaction) : () => null;
      for (const room of followed) {
        if (room.closed) continue;
        for (const [threadId, thread] of threadsOf(room.doc)) {
          const was = threadAnchor(thread);
          if (!was) continue;
          const anchor = (deleted ? repairAnchor(content.doc, fragment, was, transaction) : null) ?? restore(was, threadQuote(thread));
          if (anchor) repairs.push({ room: room.name, threadId, was, anchor });
        }
      }
      if (repairs.length > 0) void this.write(repairs);
    };
    const unload = () => {
      closed = true;
      if (this.watchers.get(agreementId) === watch) this.watchers.delete(agreementId);
      for (const room of followed) if (!room.closed) this.rooms.release(room);
      followed.clear();
    };
    this.following.set(content, { changed, unload });

    // Look into each thread room once: hold it if it has anchored threads, else just watch it.
    void (async () => {
      try {
        const record = await this.storage.getAgreement(agreementId);
        if (!record) return;
        const names = [recordsRoom(agreementId), ...record.parties.map((p) => caucusRoom(agreementId, p.id))];
        for (const name of names) {
          if (closed) return;
          await this.rooms.with(name, (room) => watch(room));
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
          const threads = threadsOf(doc);
          const entry = threads.get(repair.threadId);
          const anchor = entry && threadAnchor(entry);
          // Unless the thread changed meanwhile.
          if (!anchor || anchor.start !== repair.was.start || anchor.end !== repair.was.end) return;
          setThreadAnchor(threads, repair.threadId, repair.anchor);
        });
      } catch (err) {
        this.log.error({ err, room: repair.room }, 'could not repair a thread anchor');
      }
    }
  }
}
