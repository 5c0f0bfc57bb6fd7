import * as Y from 'yjs';
import type { Logger } from '../../log';
import type { PresenceBindings } from '../../rooms/presence';
import type { RoomManager } from '../../rooms/RoomManager';
import { writeRoom } from '../../records/write';
import { LeaseLostError } from '../../storage/fence';
import { STORAGE_RETRY_AFTER_SECONDS } from '../../storage/unavailable';
import { authorshipRoom, type AuthorshipLog } from './authorship';

/**
 * Presence ids one person keeps bound in one agreement's text, as many as the ids they may write
 * it with (rooms/guards/textWriters.ts): a page load is one. Past it, their oldest are forgotten
 * first, and anyone may take those again: a reader reconnecting in a loop with new ids grows the
 * stored bindings by nothing past this, and forgets only their own.
 */
export const MAX_PRESENCE_IDS_PER_PERSON = 10_000;

/** The authorship room's map of person id → the presence ids bound to them, oldest first. */
export const PRESENCE_KEY = 'presence';

/** How long bindings that storage refused wait before they are written again. */
const RETRY_AFTER_MS = STORAGE_RETRY_AFTER_SECONDS * 1000;

/**
 * Whose presence each awareness id of an agreement's text has been, stored in its server-private
 * authorship room beside the ids people write with. Kept in memory only, a binding ended with the
 * room on that instance: after a failover the next owner started with none, and whoever reconnected
 * first could announce themselves under anyone's id (tests/postgres/failoverPresence.test.ts). A
 * binding is written at once, one write for the bindings of one turn (a page load makes one), so the
 * next owner has it unless the old one fails within milliseconds of the person's first announcement.
 */
export class StoredPresence {
  /** Bindings made and not yet in the authorship document, per agreement: answered for meanwhile. */
  private readonly unwritten = new Map<string, Map<number, string>>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** Each loaded authorship document's bindings by presence id (built on first use; only this class writes them). */
  private readonly indexes = new WeakMap<Y.Doc, Map<number, string>>();
  private closed = false;

  constructor(
    private readonly rooms: RoomManager,
    private readonly authorship: AuthorshipLog,
    private readonly log: Logger,
    private readonly maxPerPerson = MAX_PRESENCE_IDS_PER_PERSON,
  ) {}

  /** The bindings of an agreement's text, for its room. */
  of(agreementId: string): PresenceBindings {
    return { personOf: (clientId) => this.personOf(agreementId, clientId), bind: (clientId, personId) => this.bind(agreementId, clientId, personId) };
  }

  personOf(agreementId: string, clientId: number): string | undefined {
    const unwritten = this.unwritten.get(agreementId)?.get(clientId);
    if (unwritten !== undefined) return unwritten;
    // Loaded beside the text while it is open (the text is handed out once it is).
    const doc = this.authorship.loadedFor(agreementId)?.doc;
    return doc ? this.indexOf(doc).get(clientId) : undefined;
  }

  bind(agreementId: string, clientId: number, personId: string): void {
    if (this.closed || this.personOf(agreementId, clientId) !== undefined) return;
    let unwritten = this.unwritten.get(agreementId);
    if (!unwritten) this.unwritten.set(agreementId, (unwritten = new Map()));
    unwritten.set(clientId, personId);
    this.schedule(agreementId, 0);
  }

  /** Writes the bindings not yet written and takes no more (at shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.all([...this.unwritten.keys()].map((agreementId) => this.write(agreementId)));
  }

  private schedule(agreementId: string, afterMs: number): void {
    if (this.closed || this.timers.has(agreementId)) return;
    const timer = setTimeout(() => {
      this.timers.delete(agreementId);
      void this.write(agreementId);
    }, afterMs);
    this.timers.set(agreementId, timer);
  }

  private async write(agreementId: string): Promise<void> {
    const batch = this.unwritten.get(agreementId);
    if (!batch) return;
    try {
      await writeRoom(this.rooms, authorshipRoom(agreementId), (doc) => {
        // From here the document answers for them; later bindings gather for the next write.
        this.unwritten.delete(agreementId);
        this.record(doc, batch);
      });
    } catch (err) {
      // Another instance owns the agreement now: it answers from what is stored.
      if (err instanceof LeaseLostError) {
        if (this.unwritten.get(agreementId) === batch) this.unwritten.delete(agreementId);
        return;
      }
      // Not stored (the disk or database refused it): kept, and written with the next try.
      const unwritten = this.unwritten.get(agreementId) ?? new Map<number, string>();
      for (const [clientId, personId] of batch) if (!unwritten.has(clientId)) unwritten.set(clientId, personId);
      this.unwritten.set(agreementId, unwritten);
      this.log.error({ err, agreementId }, 'storing presence bindings failed; they are tried again');
      this.schedule(agreementId, RETRY_AFTER_MS);
    }
  }

  private record(doc: Y.Doc, batch: Map<number, string>): void {
    const people = doc.getMap<Y.Array<number>>(PRESENCE_KEY);
    const index = this.indexOf(doc);
    for (const [clientId, personId] of batch) {
      if (index.has(clientId)) continue; // the first binding stands
      let ids = people.get(personId);
      if (!ids) people.set(personId, (ids = new Y.Array<number>()));
      ids.push([clientId]);
      index.set(clientId, personId);
      const over = ids.length - this.maxPerPerson;
      if (over <= 0) continue;
      for (const forgotten of ids.slice(0, over)) index.delete(forgotten);
      ids.delete(0, over);
    }
  }

  private indexOf(doc: Y.Doc): Map<number, string> {
    let index = this.indexes.get(doc);
    if (!index) {
      index = new Map();
      for (const [personId, ids] of doc.getMap<Y.Array<number>>(PRESENCE_KEY)) for (const clientId of ids) index.set(clientId, personId);
      this.indexes.set(doc, index);
    }
    return index;
  }
}
