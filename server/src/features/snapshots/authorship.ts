import { randomBytes } from 'node:crypto';
import * as Y from 'yjs';
import type { Author } from '#shared/records';
import { parseRoom } from '#shared/rooms';
import { SERVER_ORIGIN, type Room } from '../../rooms/Room';
import type { RoomManager } from '../../rooms/RoomManager';
import { readRoom, writeRoom } from '../../records/write';

type DeleteSet = ReturnType<typeof Y.createDeleteSet>;

/**
 * Who wrote what, for diffs. The server knows which connection sent each change, so it
 * records (a) which person each Yjs client id belongs to (inserted text carries its
 * client id) and (b) for each person, everything they deleted, as one merged delete set.
 * It is kept in a server-private room `<agreementId>.authorship` (no websocket can open
 * it: parseRoom refuses the name), stored and compacted like any room, and its size is
 * bounded by the number of client ids and deleted ranges, not by the number of edits.
 */
export interface AuthorshipData {
  /** Yjs client id (as a string) → person id. */
  clients: Record<string, string>;
  people: Record<string, Author>;
  /** Person id → what they deleted, as `Y.encodeSnapshot` of a delete set. */
  deletions: Record<string, Uint8Array>;
}

/** How long changes are gathered before they are written (one write per burst of typing). */
const FLUSH_AFTER_MS = 200;

export function authorshipRoom(agreementId: string): string {
  return `${agreementId}.authorship`;
}

interface Pending {
  clients: Map<number, Author>;
  deletions: Map<string, { author: Author; sets: DeleteSet[] }>;
  timer?: NodeJS.Timeout;
}

export class AuthorshipLog {
  private readonly pending = new Map<string, Pending>();
  /** Client ids already written, so typing does not rewrite the map. */
  private readonly known = new Map<string, Set<number>>();
  /** The person on whose behalf the server changes a room's text right now (a restore). */
  private readonly serverAuthors = new WeakMap<Y.Doc, Author>();
  private closed = false;

  /** The authorship room of each live content room, held open beside it: writing it every burst would otherwise load, compact and unload it each time. */
  private readonly companions = new Map<Room, Promise<Room>>();

  constructor(private readonly rooms: RoomManager) {
    rooms.onLoad.push((room) => this.watch(room));
    rooms.onUnload.push((room) => this.unwatch(room));
  }

  private watch(room: Room): void {
    const ref = parseRoom(room.name);
    if (ref?.kind !== 'content') return;
    const companion = this.rooms.acquire(authorshipRoom(ref.agreementId));
    companion.catch(() => {});
    this.companions.set(room, companion);
    room.doc.on('afterTransaction', (tr: Y.Transaction) => {
      const author = tr.origin === SERVER_ORIGIN ? this.serverAuthors.get(room.doc) : room.authorOf(tr.origin);
      if (author) this.record(ref.agreementId, tr, author);
    });
  }

  private unwatch(room: Room): void {
    const companion = this.companions.get(room);
    if (!companion) return;
    this.companions.delete(room);
    const ref = parseRoom(room.name);
    void companion
      .then(async (held) => {
        if (ref) await this.flush(ref.agreementId).catch(() => {});
        this.rooms.release(held);
      })
      .catch(() => {});
  }

  /**
   * Runs a server-side change of a content room (a restore) as `author`: the change gets a
   * fresh client id of its own, so its insertions are attributed to that person alone.
   */
  actAs<T>(room: Room, author: Author, change: () => T): T {
    room.doc.clientID = randomBytes(4).readUInt32LE() >>> 1;
    this.serverAuthors.set(room.doc, author);
    try {
      return change();
    } finally {
      this.serverAuthors.delete(room.doc);
    }
  }

  private record(agreementId: string, tr: Y.Transaction, author: Author): void {
    if (this.closed) return;
    const known = this.known.get(agreementId);
    let pending: Pending | undefined;
    const open = () => (pending ??= this.pendingFor(agreementId));
    for (const [client, clock] of tr.afterState) {
      // First writer wins: a client id is one browser tab, and it never changes hands.
      if ((tr.beforeState.get(client) ?? 0) < clock && !known?.has(client)) {
        const p = open();
        if (!p.clients.has(client)) p.clients.set(client, author);
      }
    }
    if (tr.deleteSet.clients.size > 0) {
      const entry = open().deletions.get(author.personId);
      if (entry) entry.sets.push(tr.deleteSet);
      else open().deletions.set(author.personId, { author, sets: [tr.deleteSet] });
    }
  }

  private pendingFor(agreementId: string): Pending {
    let pending = this.pending.get(agreementId);
    if (!pending) {
      pending = { clients: new Map(), deletions: new Map() };
      this.pending.set(agreementId, pending);
    }
    pending.timer ??= setTimeout(() => void this.flush(agreementId).catch(() => {}), FLUSH_AFTER_MS);
    return pending;
  }

  /** Writes what was gathered for an agreement (before a diff, so it sees the latest edits). */
  async flush(agreementId: string): Promise<void> {
    const pending = this.pending.get(agreementId);
    if (!pending) return;
    this.pending.delete(agreementId);
    clearTimeout(pending.timer);
    const known = this.known.get(agreementId) ?? new Set<number>();
    this.known.set(agreementId, known);
    await writeRoom(this.rooms, authorshipRoom(agreementId), (doc) => {
      const clients = doc.getMap<string>('clients');
      const people = doc.getMap<Author>('people');
      const deletions = doc.getMap<Uint8Array>('deletions');
      for (const [client, author] of pending.clients) {
        known.add(client);
        if (!clients.has(String(client))) clients.set(String(client), author.personId);
        people.set(author.personId, author);
      }
      for (const [personId, { author, sets }] of pending.deletions) {
        const stored = deletions.get(personId);
        const all = stored ? [Y.decodeSnapshot(stored).ds, ...sets] : sets;
        deletions.set(personId, Y.encodeSnapshot(Y.createSnapshot(Y.mergeDeleteSets(all), new Map())));
        people.set(personId, author);
      }
    });
  }

  /** Everything known about who wrote an agreement's text. */
  async read(agreementId: string): Promise<AuthorshipData> {
    await this.flush(agreementId);
    return readRoom(this.rooms, authorshipRoom(agreementId), (doc) => ({
      clients: doc.getMap<string>('clients').toJSON(),
      people: doc.getMap<Author>('people').toJSON(),
      deletions: Object.fromEntries(doc.getMap<Uint8Array>('deletions').entries()),
    }));
  }

  /** Writes everything still gathered and records nothing more (at shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.pending.keys()].map((id) => this.flush(id)));
  }
}
