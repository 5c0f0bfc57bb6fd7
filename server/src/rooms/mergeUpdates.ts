import * as Y from 'yjs';

const FAN_IN = 16;

/**
 * Merges many updates into one. Y.mergeUpdates slows down sharply with the number of
 * inputs (10,000 small updates: 15 s in one call, 57 ms merged 16 at a time), so
 * merge in a tree of small groups.
 */
export function mergeMany(updates: Uint8Array[]): Uint8Array {
  if (updates.length === 1) return updates[0];
  let level = updates;
  while (level.length > FAN_IN) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += FAN_IN) {
      const group = level.slice(i, i + FAN_IN);
      next.push(group.length === 1 ? group[0] : Y.mergeUpdates(group));
    }
    level = next;
  }
  return Y.mergeUpdates(level);
}
