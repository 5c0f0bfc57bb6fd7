import * as Y from 'yjs';
import type { FastifyBaseLogger } from 'fastify';
import { parseRoom } from '#shared/rooms';
import { SERVER_ORIGIN } from '../Room';
import type { RoomManager } from '../RoomManager';
import { repairContent } from './contentRepair';
import type { UpdateLimits } from './limits';
import { documentRules } from './schemaRules';
import { validateTextUpdate } from './textUpdateValidator';
import { UpdateRefused, checkUpdateCost, costOf, documentItems } from './updateCost';

/** Checks one client update of an agreement's text: its cost, the text's size, the schema. */
export function guardTextUpdate(update: Uint8Array, doc: Y.Doc, limits: UpdateLimits): void {
  const decoded = Y.decodeUpdate(update);
  const cost = costOf(decoded);
  checkUpdateCost(cost, limits);
  if (cost.inserted > 0 && documentItems(doc) + cost.inserted > limits.maxDocumentItems) {
    throw new UpdateRefused(`update refused: the agreement text is at its size limit (${limits.maxDocumentItems} items)`);
  }
  validateTextUpdate(doc, decoded, documentRules(), limits);
}

/**
 * Content rooms check every client update against the shared schema, and a text stored
 * before that check existed is repaired as it loads (what no reader can read is deleted).
 */
export function installTextGuards(rooms: RoomManager, limits: UpdateLimits, log: FastifyBaseLogger): void {
  rooms.loadRepair = (name) => {
    if (parseRoom(name)?.kind !== 'content') return undefined;
    return (doc) => {
      const removed = repairContent(doc, documentRules(), limits.maxDepth, SERVER_ORIGIN);
      if (removed > 0) log.warn({ room: name, removed }, 'removed parts of the stored text that no reader can read');
      return removed > 0;
    };
  };
  rooms.onLoad.push((room) => {
    if (parseRoom(room.name)?.kind === 'content') room.updateGuard = (update, doc) => guardTextUpdate(update, doc, limits);
  });
}
