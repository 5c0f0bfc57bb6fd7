import * as Y from 'yjs';
import type { Author } from '#shared/records';
import { parseRoom } from '#shared/rooms';
import type { RoomExtension } from '../../rooms/extension';
import type { ClientOrigin, TransactionOrigin } from '../../rooms/origin';
import type { Room } from '../../rooms/Room';
import type { RoomManager } from '../../rooms/RoomManager';
import { readRoom, writeRoom } from '../../records/write';
import type { Logger } from '../../log';
import { STORAGE_RETRY_AFTER_SECONDS } from '../../storage/unavailable';
import { MAX_WRITERS_PER_PERSON } from '../../rooms/guards/textWriters';

import { decodeDeleteSet, encodeDeleteSet, intersectDeleteSets, isEmptyDeleteSet, subtractDeleteSets, type DeleteSet } from '#shared/deleteSets';

/**
 * Who wrote what, for diffs. The server knows which connection sent each change, so it
 * records (a) which person each Yjs client id belongs to (inserted text carries its
 * client id) and (b) for each person, everything they deleted, as one merged delete set.
 * It is kept in a server-private room `<agreementId>.authorship` (no websocket can open
 * it: parseRoom refuses the name), stored and compacted like any room, and its size is
 * bounded by the number of client ids and deleted ranges, not by the number of edits.
 *
 * An id is credited only to a person whose connection vouches for it (origin.ts `vouchesFor`): a
 * page's sync answer also holds others' words the server lost, and crediting its sender said Ben
 * wrote Nia's words. An id nobody vouched for is credited to nobody ("Unknown") until its writer
 * names it; who brought it is kept apart (`carriers`), so it counts toward that person's writers
 * and share of the text, never as their writing. Deletions likewise: those in a sync answer that its
 * page did not name as its own are nobody's (`unclaimed`) until their deleter's page names them.
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
/** How long a write that storage refused waits before it is tried again. */
const RETRY_AFTER_MS = STORAGE_RETRY_AFTER_SECONDS * 1000;

export function authorshipRoom(agreementId: string): string {
  return `${agreementId}.authorship`;
}

interface Pending {
  clients: Map<number, Author>;
  /** Ids that arrived from a connection that did not vouch for them → that person (credited to nobody). */
  carriers: Map<number, string>;
  deletions: Map<string, { author: Author; sets: DeleteSet[] }>;
  /** Deletions nobody vouched for, to add to the stored unclaimed ones; and those named since, to take from them. */
  unclaimed: DeleteSet[];
  claimed: DeleteSet[];
  timer?: NodeJS.Timeout;
}

/**
 * A room extension on every content room: credits each change to the person whose
 * connection sent it, or for whom the server made it (`actingFor`, a restore).
 */
export class AuthorshipLog implements RoomExtension {
  private readonly pending = new Map<string, Pending>();
  /** Client ids already written, so typing does not rewrite the map. */
  private readonly known = new Map<string, Set<number>>();
  private closed = false;

  /** Each live content room's agreement and its authorship room, held open beside it: writing it every burst would otherwise load, compact and unload it each time. */
  private readonly companions = new Map<Room, { agreementId: string; held: Promise<Room>; loaded?: Room }>();
  /** Each agreement's authorship room once loaded, while its text is: the guard asks on every update. */
  private readonly loadedByAgreement = new Map<string, Room>();

  constructor(
    private readonly rooms: RoomManager,
    private readonly log: Logger,
  ) {}

  afterLoad(room: Room): void {
    const ref = parseRoom(room.name);
    if (ref?.kind !== 'content') return;
    const held = this.rooms.acquire(authorshipRoom(ref.agreementId));
    const companion: { agreementId: string; held: Promise<Room>; loaded?: Room } = { agreementId: ref.agreementId, held };
    held.then(
      (loaded) => {
        companion.loaded = loaded;
        if (this.companions.get(room) === companion) this.loadedByAgreement.set(ref.agreementId, loaded);
      },
      (err: unknown) => this.log.error({ err, room: room.name }, 'could not open the authorship room'),
    );
    this.companions.set(room, companion);
  }

  /**
   * A text is handed out once its authorship room is loaded: the text guard asks it whose each
   * client id is (and how much each person wrote) from the first update on. Were it still loading,
   * the first updates after a load went unchecked, as many as a client cared to send then. If it
   * cannot load, the text opens anyway (logged in afterLoad) with those checks off.
   */
  async ready(room: Room): Promise<void> {
    await this.companions.get(room)?.held.then(
      () => undefined,
      () => undefined,
    );
  }

  /**
   * The Yjs client ids `personId` has written an agreement's text with, stored or about to be
   * (each page load is a new one), each once; undefined while the agreement's authorship room is
   * not loaded. Read on each call: only asked of a text near a person's share of its size cap, or
   * of an update bringing new ids (once per page load).
   */
  clientsOf(agreementId: string, personId: string): number[] | undefined {
    const loaded = this.loadedFor(agreementId);
    if (!loaded) return undefined;
    const clients = new Set<number>();
    const credited = loaded.doc.getMap<string>('clients');
    const pending = this.pending.get(agreementId);
    for (const [client, owner] of credited.entries()) if (owner === personId) clients.add(Number(client));
    // A returning id is pending again after its agreement was unloaded (see beforeUnload): counted once.
    for (const [client, author] of pending?.clients ?? []) if (author.personId === personId) clients.add(client);
    // What they brought and nobody is credited with counts toward their writers and share too.
    const creditedToNobody = (client: number) => !credited.has(String(client)) && !pending?.clients.has(client);
    for (const [client, carrier] of loaded.doc.getMap<string>('carriers').entries())
      if (carrier === personId && creditedToNobody(Number(client))) clients.add(Number(client));
    for (const [client, carrier] of pending?.carriers ?? []) if (carrier === personId && creditedToNobody(client)) clients.add(client);
    return [...clients];
  }

  onChange(room: Room, tr: Y.Transaction, origin: TransactionOrigin): void {
    const companion = this.companions.get(room);
    if (!companion) return;
    const author = origin.kind === 'client' ? origin.author : origin.actingFor;
    if (author) this.record(companion.agreementId, tr, author, origin.kind === 'client' ? origin : undefined);
  }

  /**
   * A person named ids they wrote with: words the text holds under one that nobody is credited
   * with (brought back by someone else's page after the server lost them) are theirs. Credit never
   * moves: an id someone is credited with stays theirs, whoever names it. Ids the text holds nothing
   * under yet are credited as their words arrive (vouchesFor).
   */
  onWritersNamed(room: Room, origin: ClientOrigin, clientIds: number[]): void {
    const companion = this.companions.get(room);
    const author = origin.author;
    if (!companion || !author || this.closed) return;
    const { agreementId } = companion;
    let count = this.clientsOf(agreementId, author.personId)?.length;
    if (count === undefined) return; // not loaded: whose each id is cannot be told yet
    for (const client of clientIds) {
      if (count >= MAX_WRITERS_PER_PERSON) return;
      if (Y.getState(room.doc.store, client) === 0 || this.ownerOf(agreementId, client) !== null) continue;
      if (origin.vouchesFor && !origin.vouchesFor(client)) continue;
      this.pendingFor(agreementId).clients.set(client, author);
      count++;
    }
  }

  beforeUnload(room: Room): void {
    const companion = this.companions.get(room);
    if (!companion) return;
    this.companions.delete(room);
    if (companion.loaded && this.loadedByAgreement.get(companion.agreementId) === companion.loaded) this.loadedByAgreement.delete(companion.agreementId);
    void companion.held
      .then(async (held) => {
        await this.flush(companion.agreementId).catch((err: unknown) => this.log.error({ err, room: held.name }, 'authorship flush failed; it is tried again'));
        // Each page load is a new client id: kept after the agreement closes, they would pile up with
        // every visit to every agreement. Unless it was opened again meanwhile, forget them; the
        // stored map says who they were (a returning id is checked against it before it is written).
        if (![...this.companions.values()].some((c) => c.agreementId === companion.agreementId)) this.known.delete(companion.agreementId);
        this.rooms.release(held);
      })
      .catch(() => {}); // the failed acquire was logged in afterLoad
  }

  /**
   * A person's page named what its device deleted: deletions the text holds that nobody is credited
   * with (brought back by someone else's page) are theirs. Credit never moves, as for ids.
   */
  onDeletionsNamed(room: Room, origin: ClientOrigin, named: DeleteSet): void {
    const companion = this.companions.get(room);
    const author = origin.author;
    const loaded = companion && this.loadedFor(companion.agreementId);
    if (!companion || !author || !loaded || this.closed) return;
    const pending = this.pending.get(companion.agreementId);
    const stored = loaded.doc.getMap<Uint8Array>('unclaimed').get('deletions');
    const unclaimed = Y.mergeDeleteSets([...(stored ? [decodeDeleteSet(stored)] : []), ...(pending?.unclaimed ?? [])]);
    const theirs = intersectDeleteSets(unclaimed, named);
    if (isEmptyDeleteSet(theirs)) return;
    const p = this.pendingFor(companion.agreementId);
    p.claimed.push(theirs);
    this.addDeletions(p, author, theirs);
  }

  private addDeletions(pending: Pending, author: Author, deleted: DeleteSet): void {
    const entry = pending.deletions.get(author.personId);
    if (entry) entry.sets.push(deleted);
    else pending.deletions.set(author.personId, { author, sets: [deleted] });
  }

  private record(agreementId: string, tr: Y.Transaction, author: Author, origin?: ClientOrigin): void {
    if (this.closed) return;
    const vouchesFor = origin?.vouchesFor;
    const known = this.known.get(agreementId);
    let pending: Pending | undefined;
    const open = () => (pending ??= this.pendingFor(agreementId));
    for (const [client, clock] of tr.afterState) {
      // First writer wins: a client id is one browser tab, and it never changes hands.
      if ((tr.beforeState.get(client) ?? 0) >= clock || known?.has(client)) continue;
      const p = open();
      if (p.clients.has(client)) continue;
      if (!vouchesFor || vouchesFor(client)) p.clients.set(client, author);
      else if (!p.carriers.has(client)) p.carriers.set(client, author.personId);
    }
    if (tr.deleteSet.clients.size > 0) {
      const { own, unclaimed } = origin?.vouchedDeletions?.(tr.deleteSet) ?? { own: tr.deleteSet };
      if (!isEmptyDeleteSet(own)) this.addDeletions(open(), author, own);
      if (unclaimed && !isEmptyDeleteSet(unclaimed)) open().unclaimed.push(unclaimed);
    }
  }

  private pendingFor(agreementId: string, flushAfterMs = FLUSH_AFTER_MS): Pending {
    let pending = this.pending.get(agreementId);
    if (!pending) {
      pending = { clients: new Map(), carriers: new Map(), deletions: new Map(), unclaimed: [], claimed: [] };
      this.pending.set(agreementId, pending);
    }
    pending.timer ??= setTimeout(() => {
      this.flush(agreementId).catch((err: unknown) => this.log.error({ err, agreementId }, 'authorship flush failed; it is tried again'));
    }, flushAfterMs);
    return pending;
  }

  /** Who wrote an agreement's text with `client` first (null: nobody yet); undefined while the agreement's authorship room is not loaded. */
  ownerOf(agreementId: string, client: number): string | null | undefined {
    const loaded = this.loadedFor(agreementId);
    if (!loaded) return undefined;
    return loaded.doc.getMap<string>('clients').get(String(client)) ?? this.pending.get(agreementId)?.clients.get(client)?.personId ?? null;
  }

  /** An agreement's authorship room while its text is open and the room is loaded beside it. */
  loadedFor(agreementId: string): Room | undefined {
    return this.loadedByAgreement.get(agreementId);
  }

  /** How many client ids it remembers as already written, over all agreements (for tests). */
  get clientIdsInMemory(): number {
    let count = 0;
    for (const ids of this.known.values()) count += ids.size;
    return count;
  }

  /** Writes what was gathered for an agreement (before a diff, so it sees the latest edits). */
  async flush(agreementId: string): Promise<void> {
    const pending = this.pending.get(agreementId);
    if (!pending) return;
    this.pending.delete(agreementId);
    clearTimeout(pending.timer);
    const known = this.known.get(agreementId) ?? new Set<number>();
    this.known.set(agreementId, known);
    try {
      await this.write(agreementId, pending, known);
    } catch (err) {
      // Not stored (the disk or database refused it): gathered again, written with the next flush.
      // Dropped, the writers' stored words were credited to nobody ("Unknown") in every comparison.
      for (const client of pending.clients.keys()) known.delete(client);
      this.gatherAgain(agreementId, pending);
      throw err;
    }
  }

  private gatherAgain(agreementId: string, failed: Pending): void {
    if (this.closed) return;
    const pending = this.pendingFor(agreementId, RETRY_AFTER_MS);
    for (const [client, author] of failed.clients) if (!pending.clients.has(client)) pending.clients.set(client, author);
    for (const [client, personId] of failed.carriers) if (!pending.carriers.has(client)) pending.carriers.set(client, personId);
    for (const [personId, { author, sets }] of failed.deletions) {
      const entry = pending.deletions.get(personId);
      if (entry) entry.sets.unshift(...sets);
      else pending.deletions.set(personId, { author, sets });
    }
    pending.unclaimed.unshift(...failed.unclaimed);
    pending.claimed.unshift(...failed.claimed);
  }

  private write(agreementId: string, pending: Pending, known: Set<number>): Promise<void> {
    return writeRoom(this.rooms, authorshipRoom(agreementId), (doc) => {
      const clients = doc.getMap<string>('clients');
      const people = doc.getMap<Author>('people');
      const deletions = doc.getMap<Uint8Array>('deletions');
      const carriers = doc.getMap<string>('carriers');
      for (const [client, author] of pending.clients) {
        known.add(client);
        if (!clients.has(String(client))) clients.set(String(client), author.personId);
        if (carriers.has(String(client))) carriers.delete(String(client));
        people.set(author.personId, author);
      }
      for (const [client, personId] of pending.carriers) {
        if (!clients.has(String(client)) && !carriers.has(String(client))) carriers.set(String(client), personId);
      }
      for (const [personId, { author, sets }] of pending.deletions) {
        const stored = deletions.get(personId);
        const all = stored ? [Y.decodeSnapshot(stored).ds, ...sets] : sets;
        deletions.set(personId, Y.encodeSnapshot(Y.createSnapshot(Y.mergeDeleteSets(all), new Map())));
        people.set(personId, author);
      }
      if (pending.unclaimed.length > 0 || pending.claimed.length > 0) {
        const unclaimed = doc.getMap<Uint8Array>('unclaimed');
        const stored = unclaimed.get('deletions');
        const all = Y.mergeDeleteSets([...(stored ? [decodeDeleteSet(stored)] : []), ...pending.unclaimed]);
        const left = subtractDeleteSets(all, Y.mergeDeleteSets(pending.claimed));
        if (isEmptyDeleteSet(left)) unclaimed.delete('deletions');
        else unclaimed.set('deletions', encodeDeleteSet(left));
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
