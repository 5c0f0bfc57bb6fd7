import * as Y from 'yjs';

/** Y.mergeUpdates re-sorts its inputs per struct, so one call over n updates costs about n²: merge in small groups instead. */
const GROUP = 32;

/** Merges any number of updates into one, in about n·log(n) rather than n². */
export function mergeMany(updates: Uint8Array[]): Uint8Array {
  let list = updates;
  while (list.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < list.length; i += GROUP) {
      const group = list.slice(i, i + GROUP);
      next.push(group.length === 1 ? group[0] : Y.mergeUpdates(group));
    }
    list = next;
  }
  return list[0];
}
