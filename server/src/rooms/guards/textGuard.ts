import * as Y from 'yjs';
import { parseRoom } from '#shared/rooms';
import type { Logger } from '../../log';
import type { RoomExtension } from '../extension';
import { SERVER_ORIGIN } from '../origin';
import type { Room } from '../Room';
import { repairContent } from './contentRepair';
import type { UpdateLimits } from './limits';
import { documentRules } from './schemaRules';
import { validateTextUpdate } from './textUpdateValidator';
import { UpdateRefused, checkUpdateCost, costOf } from './updateCost';
import { liveItemsDeleted, textTally } from './textTally';

/** Checks one client update of an agreement's text: its cost, the text's size, the schema. */
export function guardTextUpdate(update: Uint8Array, doc: Y.Doc, limits: UpdateLimits): void {
  const decoded = Y.decodeUpdate(update);
  const cost = costOf(decoded);
  checkUpdateCost(cost, limits);
  if (cost.inserted > 0 && overfills(doc, decoded, cost.inserted, limits.maxDocumentItems)) {
    throw new UpdateRefused(`update refused: the agreement text is at its size limit (${limits.maxDocumentItems} items)`);
  }
  validateTextUpdate(doc, decoded, documentRules(), limits);
}

/** Whether inserting `inserted` items takes the text past `max`, what the same update deletes counted as room made (read only near the cap). */
function overfills(doc: Y.Doc, decoded: ReturnType<typeof Y.decodeUpdate>, inserted: number, max: number): boolean {
  const held = textTally(doc);
  return held + inserted > max && held - liveItemsDeleted(doc, decoded.ds) + inserted > max;
}

/**
 * Content rooms check every client update against the shared schema, and a text stored
 * before that check existed is repaired as it loads (what no reader can read is deleted).
 */
export class TextGuard implements RoomExtension {
  constructor(
    private readonly limits: UpdateLimits,
    private readonly log: Logger,
  ) {}

  repairOnLoad(name: string, doc: Y.Doc): boolean {
    if (parseRoom(name)?.kind !== 'content') return false;
    const removed = repairContent(doc, documentRules(), this.limits.maxDepth, SERVER_ORIGIN);
    if (removed > 0) this.log.warn({ room: name, removed }, 'removed parts of the stored text that no reader can read');
    return removed > 0;
  }

  afterLoad(room: Room): void {
    if (parseRoom(room.name)?.kind === 'content') room.updateGuard = (update, doc) => guardTextUpdate(update, doc, this.limits);
  }
}
