import * as Y from 'yjs';
import { parseRoom } from '#shared/rooms';
import type { Author } from '#shared/records';
import type { Logger } from '../../log';
import type { RoomExtension } from '../extension';
import { SERVER_ORIGIN } from '../origin';
import type { Room } from '../Room';
import { repairContent } from './contentRepair';
import type { UpdateLimits } from './limits';
import { documentRules } from './schemaRules';
import { validateTextUpdate } from './textUpdateValidator';
import { UpdateDeclined, UpdateRefused, checkUpdateCost, costOf } from './updateCost';
import { liveItemsDeleted, tallyOfClients, textTally } from './textTally';

/**
 * Share of the text's size cap one person may fill (by the client ids they wrote with, their
 * deleted history included): the cap is for everyone together, and one person's pastes, or a
 * hand-made client's, must not stop everyone else from typing.
 */
export const PERSON_SHARE = 1 / 4;
/**
 * New writers (Yjs client ids the text has no struct of) one update may bring. A page load is
 * one; a client back online may carry a few earlier loads' edits. Each id stays in the text's
 * state vector, which every client sends and is sent on each sync.
 */
export const MAX_NEW_WRITERS = 16;
/** Writers (client ids) one person may bring to one agreement's text in all: a page load that writes is one. */
export const MAX_WRITERS_PER_PERSON = 10_000;

/** Who wrote an agreement's text with which client ids (the authorship log). */
export interface TextWriters {
  /** The client ids `personId` has written the text with; undefined while not known. */
  clientsOf(agreementId: string, personId: string): number[] | undefined;
  /** The person who wrote the text with `client` first (null: nobody yet); undefined while not known. */
  ownerOf(agreementId: string, client: number): string | null | undefined;
}

/** Who sends an update, for the checks of a person's share and of whose ids they write with. */
export interface UpdateSender {
  agreementId: string;
  author?: Author;
  writers?: TextWriters;
  /** The person present in the room under an id (Yjs uses a client's id for its presence too). */
  presentAs?: (clientId: number) => string | undefined;
}

type Decoded = ReturnType<typeof Y.decodeUpdate>;

/** Checks one client update of an agreement's text: its cost, its new writers, the text's size and the sender's share of it, the schema. */
export function guardTextUpdate(update: Uint8Array, doc: Y.Doc, limits: UpdateLimits, sender?: UpdateSender): void {
  const decoded = Y.decodeUpdate(update);
  const cost = costOf(decoded);
  checkUpdateCost(cost, limits);
  const newWriters = new Set(decoded.structs.filter((s) => !(s instanceof Y.Skip) && Y.getState(doc.store, s.id.client) === 0).map((s) => s.id.client));
  if (newWriters.size > MAX_NEW_WRITERS)
    throw new UpdateRefused(`update refused: it brings ${newWriters.size} new writers (client ids; at most ${MAX_NEW_WRITERS})`);
  if (sender?.author) writesOnlyAsSender(decoded, sender);
  if (newWriters.size > 0 && sender?.author && sender.writers) {
    const known = sender.writers.clientsOf(sender.agreementId, sender.author.personId)?.length ?? 0;
    if (known + newWriters.size > MAX_WRITERS_PER_PERSON)
      throw new UpdateRefused(`update refused: you have written this agreement's text with ${known} writers (client ids; at most ${MAX_WRITERS_PER_PERSON})`);
  }
  if (cost.inserted > 0) {
    const max = limits.maxDocumentItems;
    if (overfills(doc, decoded, cost.inserted, max)) throw new UpdateDeclined(`update refused: the agreement text is at its size limit (${max} items)`);
    const share = Math.floor(max * PERSON_SHARE);
    const mine = sender && overShare(doc, decoded, cost.inserted, share, sender);
    if (mine !== undefined && mine !== false)
      throw new UpdateDeclined(`update refused: you have written your share of this agreement's text (${mine} of the ${share} items one person may fill)`);
  }
  deletesOnlyWhatExists(doc, decoded);
  validateTextUpdate(doc, decoded, documentRules(), limits);
}

/**
 * Refuses items written under a client id another person wrote with first, or is present in the
 * room under. The authorship log credits each id's words to its first writer, and ids are no
 * secret (presence shows them): a forged item would be credited to someone who never wrote it,
 * and would take the clocks the owner's next keystrokes need.
 */
function writesOnlyAsSender(decoded: Decoded, { agreementId, author, writers, presentAs }: UpdateSender): void {
  const checked = new Set<number>();
  for (const struct of decoded.structs) {
    const client = struct.id.client;
    if (struct instanceof Y.Skip || checked.has(client)) continue;
    checked.add(client);
    const owner = writers?.ownerOf(agreementId, client) ?? presentAs?.(client);
    if (owner && owner !== author?.personId)
      throw new UpdateDeclined(
        "update refused: it holds writing under another person's client id (changes they made on this device and never sent, or a forged one)",
      );
  }
}

/**
 * Refuses deletions of items neither the text nor the update holds. Yjs keeps those pending and
 * applies them when the items arrive: a hand-made update naming another person's next clocks
 * deleted everything they typed after it, everywhere. A client only deletes what it has.
 */
function deletesOnlyWhatExists(doc: Y.Doc, decoded: Decoded): void {
  if (decoded.ds.clients.size === 0) return;
  const ends = new Map<number, number>();
  for (const struct of decoded.structs)
    if (!(struct instanceof Y.Skip)) ends.set(struct.id.client, Math.max(ends.get(struct.id.client) ?? 0, struct.id.clock + struct.length));
  for (const [client, ranges] of decoded.ds.clients) {
    const known = Math.max(Y.getState(doc.store, client), ends.get(client) ?? 0);
    for (const { clock, len } of ranges) {
      if (clock + len > known) throw new UpdateRefused('update refused: it deletes what the text does not hold');
    }
  }
}

/** Whether inserting `inserted` items takes the text past `max`, what the same update deletes counted as room made (read only near the cap). */
function overfills(doc: Y.Doc, decoded: Decoded, inserted: number, max: number): boolean {
  const held = textTally(doc);
  return held + inserted > max && held - liveItemsDeleted(doc, decoded.ds) + inserted > max;
}

/**
 * What the sender holds when inserting `inserted` more items takes them past `share`, false
 * otherwise. Only a text over the share in all is looked at person by person; what the same
 * update deletes of their own writing counts as room made.
 */
function overShare(doc: Y.Doc, decoded: Decoded, inserted: number, share: number, { agreementId, author, writers }: UpdateSender): number | false {
  if (!author || !writers || textTally(doc) + inserted <= share) return false;
  const clients = writers.clientsOf(agreementId, author.personId);
  if (!clients) return false;
  const own = new Set(clients);
  // What the update writes with ids nobody has written with yet is theirs too.
  for (const struct of decoded.structs) if (Y.getState(doc.store, struct.id.client) === 0) own.add(struct.id.client);
  const mine = tallyOfClients(doc, own);
  if (mine + inserted <= share || mine - liveItemsDeleted(doc, decoded.ds, own) + inserted <= share) return false;
  return mine;
}

/**
 * Content rooms check every client update against the shared schema, and a text stored
 * before that check existed is repaired as it loads (what no reader can read is deleted).
 */
export class TextGuard implements RoomExtension {
  constructor(
    private readonly limits: UpdateLimits,
    private readonly log: Logger,
    private readonly writers?: TextWriters,
  ) {}

  repairOnLoad(name: string, doc: Y.Doc): boolean {
    if (parseRoom(name)?.kind !== 'content') return false;
    const removed = repairContent(doc, documentRules(), this.limits.maxDepth, SERVER_ORIGIN);
    if (removed > 0) this.log.warn({ room: name, removed }, 'removed parts of the stored text that no reader can read');
    // Deletions waiting for items the text never got: kept, they would delete whatever later
    // arrives under those ids (see deletesOnlyWhatExists). A legitimate one, lost, leaves text
    // that can be deleted again; waiting items are kept (tests/hostile/pendingHistory.test.ts).
    const pending = doc.store.pendingDs !== null;
    if (pending) {
      doc.store.pendingDs = null;
      this.log.warn({ room: name }, 'dropped deletions of the stored text that wait for items it does not have');
    }
    return removed > 0 || pending;
  }

  afterLoad(room: Room): void {
    const ref = parseRoom(room.name);
    if (ref?.kind !== 'content') return;
    room.updateGuard = (update, doc, { origin, presentAs }) =>
      guardTextUpdate(update, doc, this.limits, { agreementId: ref.agreementId, author: origin.author, writers: this.writers, presentAs });
  }
}
