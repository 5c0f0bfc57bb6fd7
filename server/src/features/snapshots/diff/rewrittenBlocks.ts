import * as Y from 'yjs';
import { canonicalJson } from '../fingerprint';
import { DEFAULT_UPDATE_LIMITS } from '../../../rooms/guards/limits';

type Snapshot = ReturnType<typeof Y.createSnapshot>;

/** Whether an item existed, undeleted, in `snapshot`. */
export function isVisible(item: Y.Item, snapshot: Snapshot): boolean {
  return (snapshot.sv.get(item.id.client) ?? 0) > item.id.clock && !Y.isDeleted(snapshot.ds, item.id);
}

/**
 * The element to show unchanged when two neighbouring items are one block deleted since `from`
 * and one inserted by `to` that reads exactly as it did (name, attributes, text and marks); null
 * otherwise. The editor's binding stores such a pair when it rebuilds a block it could not match
 * (an objective put before the title heading rewrites the heading), and a restore keeps the rebuilt
 * copy: shown as it is stored, the block reads as struck and inserted again, credited to whoever
 * did it, though its text never changed. A block moved elsewhere is not a neighbour and still shows.
 */
export function rewrittenAsItWas(a: Y.Item, b: Y.Item | undefined, from: Snapshot, to: Snapshot): Y.XmlElement | null {
  if (!b) return null;
  const gone = (item: Y.Item) => isVisible(item, from) && !isVisible(item, to);
  const added = (item: Y.Item) => !isVisible(item, from) && isVisible(item, to);
  const [old, now] = gone(a) && added(b) ? [a, b] : gone(b) && added(a) ? [b, a] : [null, null];
  if (!old || !now || !(old.content instanceof Y.ContentType) || !(now.content instanceof Y.ContentType)) return null;
  const [before, after] = [old.content.type, now.content.type];
  if (!(before instanceof Y.XmlElement) || !(after instanceof Y.XmlElement) || before.nodeName !== after.nodeName) return null;
  return canonicalJson(stateOf(before, from)) === canonicalJson(stateOf(after, to)) ? after : null;
}

/**
 * The elements to show unchanged from `items[i]` on: a run of blocks deleted since `from` right
 * beside a run of as many inserted by `to` that read, pair by pair, exactly as they did (else the
 * single pair rewrittenAsItWas finds). A restore writes back the blocks deleted since as new ones
 * beside the deleted ones: the snapshot and the text restored from it read the same, yet every
 * such block showed struck and inserted again, credited to the broker who restored. Answers the
 * inserted elements; the caller passes over twice as many items.
 */
export function rewrittenRun(items: Y.Item[], i: number, from: Snapshot, to: Snapshot): Y.XmlElement[] | null {
  const kind = (item: Y.Item | undefined) => (!item ? null : isVisible(item, from) === isVisible(item, to) ? null : isVisible(item, to));
  const first = kind(items[i]);
  if (first === null) return null;
  let run = 1;
  while (kind(items[i + run]) === first) run++;
  for (const size of run > 1 ? [run, 1] : [1]) {
    const shown: Y.XmlElement[] = [];
    for (let k = 0; k < size; k++) {
      const same = rewrittenAsItWas(items[i + k], items[i + size + k], from, to);
      if (!same) break;
      shown.push(same);
    }
    if (shown.length === size) return shown;
  }
  return null;
}

/** An element as it stood in `snapshot`: name, attributes and children, text with its marks. */
function stateOf(el: Y.XmlElement, snapshot: Snapshot, depth = 0): unknown {
  const content: unknown[] = [];
  if (depth < DEFAULT_UPDATE_LIMITS.maxDepth) {
    for (let item = el._start; item !== null; item = item.right) {
      if (!isVisible(item, snapshot) || !(item.content instanceof Y.ContentType)) continue;
      const child = item.content.type;
      if (child instanceof Y.XmlText) content.push(child.toDelta(snapshot));
      else if (child instanceof Y.XmlElement) content.push(stateOf(child, snapshot, depth + 1));
    }
  }
  return { name: el.nodeName, attrs: el.getAttributes(snapshot), content };
}
