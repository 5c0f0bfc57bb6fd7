import * as Y from 'yjs';
import { ProtocolError } from '../socket';
import type { UpdateLimits } from './limits';

/** How much work an update asks of the room. */
export interface UpdateCost {
  structs: number;
  deleteRanges: number;
  /** Characters and nodes it inserts. */
  inserted: number;
}

/** A text update the server will not apply; the connection is closed with the reason. */
export class UpdateRefused extends ProtocolError {}

export function measureUpdate(update: Uint8Array): UpdateCost {
  return costOf(Y.decodeUpdate(update));
}

export function costOf({ structs, ds }: ReturnType<typeof Y.decodeUpdate>): UpdateCost {
  let deleteRanges = 0;
  for (const ranges of ds.clients.values()) deleteRanges += ranges.length;
  let inserted = 0;
  for (const struct of structs) if (struct instanceof Y.Item) inserted += struct.length;
  return { structs: structs.length, deleteRanges, inserted };
}

export function overLimits(cost: UpdateCost, limits: UpdateLimits): boolean {
  return cost.structs > limits.maxStructs || cost.deleteRanges > limits.maxDeleteRanges || cost.inserted > limits.maxInserted;
}

/** Throws {@link UpdateRefused} for an update over the per-update limits. */
export function checkUpdateCost(cost: UpdateCost, limits: UpdateLimits): void {
  if (cost.structs > limits.maxStructs) throw new UpdateRefused(`update refused: ${cost.structs} structs (limit ${limits.maxStructs})`);
  if (cost.deleteRanges > limits.maxDeleteRanges) {
    throw new UpdateRefused(`update refused: ${cost.deleteRanges} delete ranges (limit ${limits.maxDeleteRanges})`);
  }
  if (cost.inserted > limits.maxInserted) throw new UpdateRefused(`update refused: it inserts ${cost.inserted} items (limit ${limits.maxInserted})`);
}

/** Items a document has ever had (the sum of its state vector), deleted ones included. */
export function documentItems(doc: Y.Doc): number {
  let items = 0;
  for (const client of doc.store.clients.keys()) items += Y.getState(doc.store, client);
  return items;
}
