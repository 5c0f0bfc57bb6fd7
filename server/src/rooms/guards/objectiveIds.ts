import * as Y from 'yjs';
import { OBJECTIVE } from '#shared/objective';
import { CONTENT_FIELD } from '#shared/rooms';
import { UpdateDeclined } from './updateCost';
import { deletedBy, type DeleteSet } from './objectiveFields';

/** An objective an update names: its own item when the update creates it, else the live element. */
type Objective = Y.Item | Y.XmlElement;

/** The objective attribute stances are kept by. */
export const OBJECTIVE_ID_KEY = 'id';

/** Live objectives of the text by id (objectives may sit in quotes and lists): a walk of its elements only. */
function liveIds(doc: Y.Doc, maxDepth: number): Map<string, Y.XmlElement[]> {
  const found = new Map<string, Y.XmlElement[]>();
  const stack: [Y.XmlFragment | Y.XmlElement, number][] = [[doc.getXmlFragment(CONTENT_FIELD), 0]];
  while (stack.length > 0) {
    const [type, depth] = stack.pop()!;
    for (let item = type._start; item !== null; item = item.right) {
      if (item.deleted || !(item.content instanceof Y.ContentType) || !(item.content.type instanceof Y.XmlElement)) continue;
      const element = item.content.type;
      if (element.nodeName === OBJECTIVE) {
        const id = element.getAttribute(OBJECTIVE_ID_KEY);
        if (typeof id === 'string' && id) found.set(id, [...(found.get(id) ?? []), element]);
      } else if (depth < maxDepth) stack.push([element, depth + 1]);
    }
  }
  return found;
}

/**
 * Declines an update that names an objective (a new one, or an id changed) with the id of another
 * live objective: stances are kept by id, so two blocks with one id each showed the other's stances.
 * Honest clients do it only when two people move (cut and paste) or restore one objective at once:
 * declined, the later one's page reloads the text as the server has it.
 */
export function checkObjectiveIds(doc: Y.Doc, ds: DeleteSet, named: Map<Objective, string>, maxDepth: number): void {
  const alive = (objective: Objective) =>
    objective instanceof Y.Item ? !deletedBy(ds, objective.id) : !!objective._item && !objective._item.deleted && !deletedBy(ds, objective._item.id);
  const wanted = [...named].filter(([objective, id]) => id && alive(objective));
  if (wanted.length === 0) return;
  const live = liveIds(doc, maxDepth);
  const taken = new Set<string>();
  for (const [objective, id] of wanted) {
    const others = (live.get(id) ?? []).filter((element) => element !== objective && !named.has(element) && alive(element));
    if (others.length > 0 || taken.has(id)) {
      throw new UpdateDeclined(`it brings a second objective with the id ${id} (one objective moved or restored by two people at once)`);
    }
    taken.add(id);
  }
}
