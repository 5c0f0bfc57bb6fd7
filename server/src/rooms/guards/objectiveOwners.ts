import * as Y from 'yjs';
import { forEachLiveDeleted } from './liveDeleted';
import { OBJECTIVE } from '#shared/objective';
import { UpdateDeclined } from './updateCost';

/**
 * Whether the sender may write an objective of a given scope ('shared', empty, or the id of the
 * party whose own objective it is): `canEditObjective` of shared/src/objectiveOwnership.ts for
 * the sender. Undefined when they may write every objective (the broker).
 */
export type MayWriteObjective = ((scope: unknown) => boolean) | undefined;

/** The objective attribute that says whose objective it is. */
export const SCOPE = 'scope';

/** Any Yjs shared type. */
type SharedType = Exclude<NonNullable<Y.Item['parent']>, Y.ID>;

/** The objective block a live type is, or lies in (its fields, their text); null outside objectives. */
export function objectiveAt(type: SharedType | null, maxDepth: number): Y.XmlElement | null {
  let level = 0;
  for (let at: SharedType | null = type; at !== null && level <= maxDepth; level++) {
    if (at instanceof Y.XmlElement && at.nodeName === OBJECTIVE) return at;
    if (!at._item) return null;
    at = at._item.parent as SharedType | null;
  }
  return null;
}

/** Refuses a write to another party's own objective (declined: a person whose scope changed meanwhile may send one honestly). */
export function refuseForeign(): never {
  throw new UpdateDeclined(
    "it changes another party's own objective (only that party's negotiators and the broker write it; comment on it or suggest a change instead)",
  );
}

/** Refuses making an objective another party's own: nobody speaks for another party. */
export function refuseGiving(): never {
  throw new UpdateDeclined("it makes an objective another party's own (only that party's negotiators and the broker may)");
}

/**
 * Refuses an update's deletions of what the sender may not write: anything live inside another
 * party's own objective (characters, fields, attributes), the block itself, or a block holding
 * one (a quote or list it sits in). Deletions of what is already deleted change nothing: the
 * delete set every client sends on reconnecting holds everyone's.
 */
export function checkObjectiveDeletions(doc: Y.Doc, ds: ReturnType<typeof Y.decodeUpdate>['ds'], may: (scope: unknown) => boolean, maxDepth: number): void {
  const objectives = new Map<SharedType, Y.XmlElement | null>();
  forEachLiveDeleted(doc, ds, (struct) => {
    const parent = struct.parent as SharedType;
    let objective = objectives.get(parent);
    if (objective === undefined) objectives.set(parent, (objective = objectiveAt(parent, maxDepth)));
    if (objective && !may(objective.getAttribute(SCOPE))) refuseForeign();
    const type = struct.content instanceof Y.ContentType ? struct.content.type : undefined;
    if (type instanceof Y.XmlElement && holdsForeign(type, may)) refuseForeign();
  });
}

/** Whether a live element is, or holds, an objective the sender may not write. Walked without recursion. */
function holdsForeign(element: Y.XmlElement, may: (scope: unknown) => boolean): boolean {
  const stack = [element];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (next.nodeName === OBJECTIVE) {
      if (!may(next.getAttribute(SCOPE))) return true;
      continue;
    }
    for (let item = next._start; item !== null; item = item.right) {
      if (!item.deleted && item.content instanceof Y.ContentType && item.content.type instanceof Y.XmlElement) stack.push(item.content.type);
    }
  }
  return false;
}
