import * as Y from 'yjs';
import { UpdateDeclined } from './updateCost';
import { liveItemsDeleted, tallyOfClients, textTally } from './textTally';
import type { UpdateSender } from './textWriters';

/**
 * Share of the text's size cap one person may fill (by the client ids they wrote with, their
 * deleted history included): the cap is for everyone together, and one person's pastes, or a
 * hand-made client's, must not stop everyone else from typing.
 */
export const PERSON_SHARE = 1 / 4;

type Decoded = ReturnType<typeof Y.decodeUpdate>;

/** Declines an update inserting `inserted` items past the text's cap `max`, or past the sender's share of it. */
export function checkTextSize(doc: Y.Doc, decoded: Decoded, inserted: number, max: number, sender: UpdateSender | undefined): void {
  if (inserted === 0) return;
  if (overfills(doc, decoded, inserted, max)) throw new UpdateDeclined(`the agreement text is at its size limit (${max} items)`);
  const share = Math.floor(max * PERSON_SHARE);
  const mine = sender ? overShare(doc, decoded, inserted, share, sender) : false;
  if (mine !== false) throw new UpdateDeclined(`you have written your share of this agreement's text (${mine} of the ${share} items one person may fill)`);
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
  for (const struct of decoded.structs) if (!(struct instanceof Y.Skip) && Y.getState(doc.store, struct.id.client) === 0) own.add(struct.id.client);
  const mine = tallyOfClients(doc, own);
  if (mine + inserted <= share || mine - liveItemsDeleted(doc, decoded.ds, own) + inserted <= share) return false;
  return mine;
}
