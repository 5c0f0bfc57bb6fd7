import * as Y from 'yjs';
import type { Author } from '#shared/records';
import { UpdateDeclined, UpdateRefused } from './updateCost';

/**
 * New writers (Yjs client ids the text has no struct of) one update may bring. A page load is
 * one, and a laptop back after weeks offline carries one for each day's page it wrote in: a
 * refusal would close its connection on every reconnect and its work would never arrive. Each id
 * stays in the text's state vector, which every client sends and is sent on each sync; a
 * person's total is bounded below.
 */
export const MAX_NEW_WRITERS = 256;
/** Writers (client ids) one person may bring to one agreement's text in all: a page load that writes is one. */
export const MAX_WRITERS_PER_PERSON = 10_000;

/** Who wrote an agreement's text with which client ids (the authorship log). */
export interface TextWriters {
  /** The client ids `personId` has written the text with; undefined while not known. */
  clientsOf(agreementId: string, personId: string): number[] | undefined;
  /** The person who wrote the text with `client` first (null: nobody yet); undefined while not known. */
  ownerOf(agreementId: string, client: number): string | null | undefined;
}

/** Who sends an update, for the checks of whose ids they write with and of their share of the text. */
export interface UpdateSender {
  agreementId: string;
  author?: Author;
  writers?: TextWriters;
  /** The person the room has shown present under an id (Yjs uses a client's id for its presence too); an id is never handed to another person, so a squatter cannot make it theirs. */
  presentAs?: (clientId: number) => string | undefined;
}

type Decoded = ReturnType<typeof Y.decodeUpdate>;

/** Checks the writers (client ids) an update writes with: how many are new, and that none is another person's. */
export function checkWriters(doc: Y.Doc, decoded: Decoded, sender: UpdateSender | undefined): void {
  const newWriters = new Set(decoded.structs.filter((s) => !(s instanceof Y.Skip) && Y.getState(doc.store, s.id.client) === 0).map((s) => s.id.client));
  if (newWriters.size > MAX_NEW_WRITERS) throw new UpdateRefused(`it brings ${newWriters.size} new writers (client ids; at most ${MAX_NEW_WRITERS})`);
  if (!sender?.author) return;
  writesOnlyAsSender(doc, decoded, sender);
  if (newWriters.size > 0 && sender.writers) {
    const known = sender.writers.clientsOf(sender.agreementId, sender.author.personId)?.length ?? 0;
    if (known + newWriters.size > MAX_WRITERS_PER_PERSON)
      throw new UpdateRefused(`you have written this agreement's text with ${known} writers (client ids; at most ${MAX_WRITERS_PER_PERSON})`);
  }
}

/**
 * Refuses items written under a client id another person wrote with first, or is present in the
 * room under. The authorship log credits each id's words to its first writer, and ids are no
 * secret (presence shows them): a forged item would be credited to someone who never wrote it,
 * and would take the clocks the owner's next keystrokes need.
 */
function writesOnlyAsSender(doc: Y.Doc, decoded: Decoded, { agreementId, author, writers, presentAs }: UpdateSender): void {
  const checked = new Set<number>();
  for (const struct of decoded.structs) {
    const client = struct.id.client;
    if (struct instanceof Y.Skip || checked.has(client)) continue;
    // What the text already holds is no writing: Yjs ignores it. A page back from a reload sends
    // others' words again with its own when its record of what the server confirmed is older.
    if (struct.id.clock + struct.length <= Y.getState(doc.store, client)) continue;
    checked.add(client);
    const owner = writers?.ownerOf(agreementId, client) ?? presentAs?.(client);
    if (owner && owner !== author?.personId)
      throw new UpdateDeclined("it holds writing under another person's client id (changes they made on this device and never sent, or a forged one)");
  }
}
