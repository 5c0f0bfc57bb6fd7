import * as Y from 'yjs';
import { UPDATE_REFUSED } from '#shared/protocol';
import { ProtocolError } from '../socket';
import type { UpdateLimits } from './limits';
import { itemWeight } from './itemWeight';

/** How much work an update asks of the room. */
export interface UpdateCost {
  structs: number;
  deleteRanges: number;
  /** Characters and nodes it inserts, and the characters of the attributes and marks it writes (itemWeight.ts); a range that arrives deleted counts one. */
  inserted: number;
}

/** A text update the server will not apply; the connection is closed with the reason, worded `update refused: <why>`. */
export class UpdateRefused extends ProtocolError {
  constructor(why: string) {
    super(UPDATE_REFUSED + why);
  }
}

/**
 * A well-formed update refused for what it would do (fill the text or the sender's share of it,
 * write as another person): the person is told why (y-websocket's permission-denied message,
 * which the app's client answers by reloading the text as the server has it) and the connection
 * stays. Closed, the stock client would send the same update again on every reconnect.
 */
export class UpdateDeclined extends UpdateRefused {}

export function measureUpdate(update: Uint8Array): UpdateCost {
  return costOf(Y.decodeUpdate(update));
}

export function costOf({ structs, ds }: ReturnType<typeof Y.decodeUpdate>): UpdateCost {
  let deleteRanges = 0;
  for (const ranges of ds.clients.values()) deleteRanges += ranges.length;
  let inserted = 0;
  // A range that arrives deleted is kept as its length alone: it costs one, like a struct.
  for (const struct of structs) if (struct instanceof Y.Item) inserted += struct.content instanceof Y.ContentDeleted ? 1 : itemWeight(struct);
  return { structs: structs.length, deleteRanges, inserted };
}

export function overLimits(cost: UpdateCost, limits: UpdateLimits): boolean {
  return cost.structs > limits.maxStructs || cost.deleteRanges > limits.maxDeleteRanges || cost.inserted > limits.maxInserted;
}

/** Throws {@link UpdateRefused} for an update over the per-update limits. */
export function checkUpdateCost(cost: UpdateCost, limits: UpdateLimits): void {
  if (cost.structs > limits.maxStructs) throw new UpdateRefused(`${cost.structs} structs (limit ${limits.maxStructs})`);
  if (cost.deleteRanges > limits.maxDeleteRanges) {
    throw new UpdateRefused(`${cost.deleteRanges} delete ranges (limit ${limits.maxDeleteRanges})`);
  }
  if (cost.inserted > limits.maxInserted) throw new UpdateRefused(`it inserts ${cost.inserted} items (limit ${limits.maxInserted})`);
}
