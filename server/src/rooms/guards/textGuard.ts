import * as Y from 'yjs';
import { canEditObjective } from '#shared/objectiveOwnership';
import { parseRoom } from '#shared/rooms';
import type { Logger } from '../../log';
import type { RoomExtension } from '../extension';
import { SERVER_ORIGIN } from '../origin';
import type { Room } from '../Room';
import { repairContent } from './contentRepair';
import type { UpdateLimits } from './limits';
import { documentRules } from './schemaRules';
import { validateTextUpdate } from './textUpdateValidator';
import { checkUpdateCost, costOf } from './updateCost';
import { checkWriters, type TextWriters, type UpdateSender } from './textWriters';
import { checkTextSize } from './textSize';
import { countTallyInSlices } from './textTally';
import { deletesOnlyWhatExists, dropPendingDeletes } from './pendingDeletes';
import { checkObjectiveDeletions } from './objectiveOwners';
import { checkObjectiveIds } from './objectiveIds';

/**
 * Checks one client update of an agreement's text: its cost, its writers, the text's size and the
 * sender's share of it, its deletions, the schema, and that it writes no other party's own objective.
 */
export function guardTextUpdate(update: Uint8Array, doc: Y.Doc, limits: UpdateLimits, sender?: UpdateSender): void {
  const decoded = Y.decodeUpdate(update);
  const cost = costOf(decoded);
  checkUpdateCost(cost, limits);
  checkWriters(doc, decoded, sender);
  checkTextSize(doc, decoded, cost.inserted, limits.maxDocumentItems, sender);
  deletesOnlyWhatExists(doc, decoded);
  // A party's own objective is written by its negotiators and the broker alone (as the editor refuses it too).
  const author = sender?.author;
  const may = author && author.role !== 'broker' ? (scope: unknown) => canEditObjective(author, scope) : undefined;
  const { objectiveFields, objectiveIds } = validateTextUpdate(doc, decoded, documentRules(), limits, may);
  objectiveFields.check(doc, decoded.ds);
  if (may) checkObjectiveDeletions(doc, decoded.ds, may, limits.maxDepth);
  // Last: an honest move crossing another is declined (the page reloads), not refused.
  checkObjectiveIds(doc, decoded.ds, objectiveIds, limits.maxDepth);
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
    // Kept, they would delete whatever later arrives under those ids (pendingDeletes.ts).
    const pending = dropPendingDeletes(doc);
    if (pending) this.log.warn({ room: name }, 'dropped deletions of the stored text that wait for items it does not have');
    return removed > 0 || pending;
  }

  afterLoad(room: Room): void {
    const ref = parseRoom(room.name);
    if (ref?.kind !== 'content') return;
    room.updateGuard = (update, doc, { origin, presentAs }) =>
      guardTextUpdate(update, doc, this.limits, { agreementId: ref.agreementId, author: origin.author, writers: this.writers, presentAs });
    // Whoever wrote the text with an id is who may be present under it (a stock client uses one id for both).
    const writers = this.writers;
    if (writers) room.writerOf = (clientId) => writers.ownerOf(ref.agreementId, clientId) ?? undefined;
  }

  /** Counts the text's size tally before anyone types: counted at the first keystroke, every room waited for it. */
  async ready(room: Room): Promise<void> {
    if (parseRoom(room.name)?.kind === 'content') await countTallyInSlices(room.doc);
  }
}
