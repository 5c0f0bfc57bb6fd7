import * as Y from 'yjs';
import { forEachLiveDeleted } from './liveDeleted';
import { OBJECTIVE, OBJECTIVE_CHILDREN } from '#shared/objective';
import { UpdateDeclined } from './updateCost';

/** The field elements every objective holds (its text fields, then owners and indicators), each once, in this order. */
const FIELDS: readonly string[] = OBJECTIVE_CHILDREN;

/** An objective an update writes into: its own item when the update creates it, else the live element. */
type Objective = Y.Item | Y.XmlElement;

export type DeleteSet = ReturnType<typeof Y.decodeUpdate>['ds'];

/** Whether `id` lies in one of the update's deleted ranges (read as sent, not trusting their order). */
export function deletedBy(ds: DeleteSet, id: Y.ID): boolean {
  return (ds.clients.get(id.client) ?? []).some(({ clock, len }) => id.clock >= clock && id.clock < clock + len);
}

/**
 * Checks that an update leaves each objective it creates or changes holding its six fields, each
 * once, in order (the schema's content expression; the item checks see each child alone). A page
 * cannot show an objective of any other shape: the first to open it deleted it, a deletion
 * credited to that person. The validator notes what the update adds; `check` runs once it is read.
 */
export class ObjectiveFields {
  /** Field elements the update adds, by the objective they land in. */
  private readonly added = new Map<Objective, Y.Item[]>();

  /** An objective block the update creates (checked even with no field at all). */
  created(objective: Y.Item): void {
    if (!this.added.has(objective)) this.added.set(objective, []);
  }

  /** A field element the update puts into an objective. */
  fieldAdded(objective: Objective, field: Y.Item): void {
    const fields = this.added.get(objective);
    if (fields) fields.push(field);
    else this.added.set(objective, [field]);
  }

  check(doc: Y.Doc, ds: DeleteSet): void {
    const removed = removedFields(doc, ds);
    for (const objective of new Set([...this.added.keys(), ...removed.keys()])) {
      // An objective deleted (before or by this update) shows nothing of what lands in it.
      if (objective instanceof Y.Item ? deletedBy(ds, objective.id) : !objective._item || objective._item.deleted || deletedBy(ds, objective._item.id))
        continue;
      const added = (this.added.get(objective) ?? []).filter((item) => !deletedBy(ds, item.id));
      if (objective instanceof Y.Item) {
        checkNew(added);
        continue;
      }
      const gone = removed.get(objective) ?? new Set();
      const live = objective.toArray().filter((child): child is Y.XmlElement => child instanceof Y.XmlElement && !gone.has(child));
      checkCounts([...live.map((child) => child.nodeName), ...added.map(nameOf)]);
    }
  }
}

/**
 * Refuses an objective of another shape, declined (the person is told why, the connection stays): a
 * page left open across a deploy runs the older app, whose objectives had four fields. Closed, it
 * reconnected and sent the same objective again, for good, and whatever was written after it with it.
 */
function decline(reason: string): never {
  throw new UpdateDeclined(reason);
}

const nameOf = (item: Y.Item): string => ((item.content as Y.ContentType).type as Y.XmlElement).nodeName;

/** Each field once; the order is where the editor puts each field, replaced or not. */
function checkCounts(names: string[]): void {
  if (names.length !== FIELDS.length || FIELDS.some((name) => !names.includes(name))) {
    decline(`an objective holds its ${FIELDS.length} fields (${FIELDS.join(', ')}), each once`);
  }
}

/**
 * A new objective's fields, in the order Yjs will put them: each after its left origin. An order
 * this cannot follow (a field after one deleted meanwhile, two after the same one) is left to the counts.
 */
function checkNew(fields: Y.Item[]): void {
  const names = fields.map(nameOf);
  checkCounts(names);
  const after = new Map<string, Y.Item>();
  for (const field of fields) after.set(field.origin ? `${field.origin.client}:${field.origin.clock}` : 'start', field);
  if (after.size !== fields.length) return;
  const ordered: string[] = [];
  for (let at = after.get('start'); at; at = after.get(`${at.id.client}:${at.id.clock + at.length - 1}`)) ordered.push(nameOf(at));
  if (ordered.length === fields.length && ordered.some((name, i) => name !== FIELDS[i])) {
    decline(`an objective holds its fields in order (${FIELDS.join(', ')})`);
  }
}

/** The live field elements an update deletes, by the live objective that holds them. */
function removedFields(doc: Y.Doc, ds: DeleteSet): Map<Y.XmlElement, Set<Y.XmlElement>> {
  const removed = new Map<Y.XmlElement, Set<Y.XmlElement>>();
  forEachLiveDeleted(doc, ds, (struct) => {
    if (!(struct.content instanceof Y.ContentType)) return;
    const parent = struct.parent;
    const field = struct.content.type;
    if (!(parent instanceof Y.XmlElement) || parent.nodeName !== OBJECTIVE || !(field instanceof Y.XmlElement)) return;
    const fields = removed.get(parent);
    if (fields) fields.add(field);
    else removed.set(parent, new Set([field]));
  });
  return removed;
}
