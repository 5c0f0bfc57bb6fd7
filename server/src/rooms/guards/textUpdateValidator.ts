import * as Y from 'yjs';
import { OBJECTIVE } from '#shared/objective';
import { CONTENT_FIELD } from '#shared/rooms';
import type { UpdateLimits } from './limits';
import { SCOPE, objectiveAt, refuseForeign, refuseGiving, type MayWriteObjective } from './objectiveOwners';
import { checkAttribute, checkMark, refuse } from './attributeRules';
import type { SchemaRules } from './schemaRules';
import { ObjectiveFields } from './objectiveFields';
import { FACT_FIELDS, FactFieldText } from './factFieldText';
import { OBJECTIVE_ID_KEY } from './objectiveIds';

/**
 * An objective block an item lands in: one already in the text, or the update's own item that
 * creates it (whose scope is what the update writes, checked as it is written).
 */
type Objective = Y.XmlElement | Y.Item;

/** Where an item of an update would land, as far as the schema (and whose objective it is) cares. */
type Parent =
  | { kind: 'fragment' }
  /** `objective`: the element's own, when it is one, or the one it lies in (when the sender's rights to objectives are checked); `self`: the element. */
  | { kind: 'element'; name: string; depth: number; objective: Objective | null; self: Objective }
  /** `field`: the element holding the text; `self`: the text (the update's own item when it creates it). */
  | { kind: 'text'; objective: Objective | null; field: string | null; self: Y.XmlText | Y.Item }
  /** Content Yjs will drop on arrival (its neighbour or parent was garbage-collected). */
  | { kind: 'gone' };

interface Place {
  parent: Parent;
  parentSub: string | null;
}

type Struct = Y.Item | Y.GC | Y.Skip;
/** Any Yjs shared type (what an item's parent resolves to). */
type SharedType = Exclude<NonNullable<Y.Item['parent']>, Y.ID>;

/**
 * Checks a text update against the shared Tiptap schema before the room applies it, the
 * way y-prosemirror maps ProseMirror onto Yjs: the fragment holds block elements, an
 * element holds the elements its content expression allows (or Y.XmlText where it takes
 * inline content) and its declared attributes as scalars, a Y.XmlText holds strings and known
 * marks with their declared attributes. Anything else (a Y.Map, a bare Y.XmlText at the top,
 * unknown names, deep nesting, an update whose history the server does not have) throws
 * UpdateRefused. With `may`, a write inside an objective the sender may not write, or
 * one making an objective another party's, throws too (declined; deletions: objectiveOwners.ts).
 */
export function validateTextUpdate(
  doc: Y.Doc,
  decoded: ReturnType<typeof Y.decodeUpdate>,
  rules: SchemaRules,
  limits: UpdateLimits,
  may?: MayWriteObjective,
): Pick<UpdateValidator, 'objectiveFields' | 'objectiveIds'> {
  const validator = new UpdateValidator(doc, decoded.structs as Struct[], rules, limits, may);
  validator.run();
  validator.factText.check(limits.maxAttributeChars);
  return validator;
}

class UpdateValidator {
  /** The update's structs of each client, in clock order, to find an item by any id inside it. */
  private readonly own = new Map<number, Struct[]>();
  private readonly ownStructs: Set<Struct>;
  private readonly places = new Map<Y.Item, Place>();
  /** Objectives already in the text that the update writes inside (their scope is checked once, at the end). */
  private readonly touched = new Set<Y.XmlElement>();
  /** Objectives the update creates and the fields it puts in objectives, for their shape (checked with its deletions). */
  readonly objectiveFields = new ObjectiveFields();
  /** The ids the update gives objectives (new ones, or changed), for their uniqueness. */
  readonly objectiveIds = new Map<Objective, string>();
  /** What the update types into objectives' owners and indicators, for their length. */
  readonly factText = new FactFieldText();

  constructor(
    private readonly doc: Y.Doc,
    private readonly structs: Struct[],
    private readonly rules: SchemaRules,
    private readonly limits: UpdateLimits,
    private readonly may: MayWriteObjective,
  ) {
    this.ownStructs = new Set(structs);
    for (const struct of structs) {
      const list = this.own.get(struct.id.client);
      if (list) list.push(struct);
      else this.own.set(struct.id.client, [struct]);
    }
  }

  run(): void {
    for (const struct of this.structs) {
      // What the text already holds is skipped by Yjs as it applies the update: only the rest lands.
      if (struct instanceof Y.Item && !this.known(struct)) this.check(struct, this.placeOf(struct));
    }
    const may = this.may;
    if (may) for (const objective of this.touched) if (!may(objective.getAttribute(SCOPE))) refuseForeign();
  }

  /** Whether the text already holds all of a struct (a resent one); its place and content are then the text's, not the update's. */
  private known(struct: Struct): boolean {
    return struct.id.clock + struct.length <= Y.getState(this.doc.store, struct.id.client);
  }

  /** Notes a write inside an objective (or, for `scope`, of its scope), for the sender's right to write it. */
  private writesIn(objective: Objective | null, scope?: { value: unknown }): void {
    if (!this.may || objective === null) return;
    if (objective instanceof Y.XmlElement) this.touched.add(objective);
    if (scope && !this.may(scope.value)) refuseGiving();
  }

  private check(item: Y.Item, place: Place): void {
    const { content } = item;
    if (content instanceof Y.ContentDeleted || place.parent.kind === 'gone') return;
    const parent = place.parent;
    if (parent.kind === 'text') {
      if (place.parentSub !== null) refuse('a text node has no attributes');
      const fact = parent.field !== null && FACT_FIELDS.has(parent.field);
      if (content instanceof Y.ContentString) {
        if (fact) this.factText.added(parent.self, content.str.length);
        return this.writesIn(parent.objective);
      }
      if (content instanceof Y.ContentFormat) {
        checkMark(this.rules, this.limits, content.key, content.value);
        if (fact) this.factText.marked(parent.field!, content.value);
        return this.writesIn(parent.objective);
      }
      refuse(`a text node cannot hold ${content.constructor.name}`);
    }
    const holder = parent.kind === 'fragment' ? 'doc' : parent.name;
    if (place.parentSub !== null) {
      if (parent.kind === 'fragment') refuse('the document has no attributes');
      const value = checkAttribute(this.rules, this.limits, holder, place.parentSub, content);
      if (holder === OBJECTIVE && place.parentSub === OBJECTIVE_ID_KEY && parent.kind === 'element') this.objectiveIds.set(parent.self, String(value ?? ''));
      return this.writesIn(parent.objective, holder === OBJECTIVE && place.parentSub === SCOPE ? { value } : undefined);
    }
    if (!(content instanceof Y.ContentType)) refuse(`${holder} cannot hold ${content.constructor.name}`);
    const type = content.type;
    if (type instanceof Y.XmlText) {
      if (!this.rules.holdsText.has(holder)) refuse(`${holder} cannot hold text`);
      return this.writesIn(parent.kind === 'element' ? parent.objective : null);
    }
    if (!(type instanceof Y.XmlElement)) refuse(`${holder} cannot hold a ${type.constructor.name}`);
    const element = type as Y.XmlElement;
    if (!this.rules.children.get(holder)?.has(element.nodeName)) refuse(`${holder} cannot hold ${JSON.stringify(element.nodeName).slice(0, 60)}`);
    const depth = parent.kind === 'element' ? parent.depth + 1 : 1;
    if (depth > this.limits.maxDepth) refuse(`elements nest deeper than ${this.limits.maxDepth}`);
    if (element.nodeName === OBJECTIVE) this.objectiveFields.created(item);
    if (parent.kind === 'element' && holder === OBJECTIVE) this.objectiveFields.fieldAdded(parent.self, item);
    this.writesIn(parent.kind === 'element' ? parent.objective : null);
  }

  /**
   * Where an item lands. An item encoded with a left or right neighbour carries no parent:
   * Yjs takes its neighbour's. Typing makes long chains of such items within one update, so
   * this walks the chain with a loop and remembers every answer.
   */
  private placeOf(start: Y.Item): Place {
    const chain: Y.Item[] = [];
    let item: Y.Item = start;
    let place: Place | undefined;
    for (;;) {
      const known = this.places.get(item);
      if (known) {
        place = known;
        break;
      }
      chain.push(item);
      if (item.parent !== null || (item.origin === null && item.rightOrigin === null)) {
        place = this.explicitPlace(item);
        break;
      }
      const neighbourId = (item.origin ?? item.rightOrigin) as Y.ID;
      const neighbour = this.structAt(neighbourId);
      if (neighbour instanceof Y.Item && this.isOwn(neighbour)) {
        item = neighbour;
        continue;
      }
      place =
        neighbour instanceof Y.Item
          ? { parent: this.liveParent(neighbour.parent as SharedType), parentSub: neighbour.parentSub }
          : { parent: { kind: 'gone' }, parentSub: null };
      break;
    }
    for (const link of chain) this.places.set(link, place);
    return place;
  }

  /** An item that names its parent: a root type by name, or an item by id. */
  private explicitPlace(item: Y.Item): Place {
    const parent = item.parent as unknown as string | Y.ID | null;
    if (parent === null) refuse('an item without a place');
    if (typeof parent === 'string') {
      if (parent !== CONTENT_FIELD) refuse(`unknown top-level type ${JSON.stringify(parent).slice(0, 60)}`);
      return { parent: { kind: 'fragment' }, parentSub: item.parentSub };
    }
    const holder = this.structAt(parent as Y.ID);
    if (!(holder instanceof Y.Item)) return { parent: { kind: 'gone' }, parentSub: item.parentSub };
    if (this.isOwn(holder)) return { parent: this.ownParent(holder), parentSub: item.parentSub };
    if (!(holder.content instanceof Y.ContentType)) {
      if (holder.content instanceof Y.ContentDeleted) return { parent: { kind: 'gone' }, parentSub: item.parentSub };
      refuse('an item inside something that is not a type');
    }
    return { parent: this.liveParent((holder.content as Y.ContentType).type), parentSub: item.parentSub };
  }

  /** A type created by this very update, as a parent. */
  private ownParent(holder: Y.Item): Parent {
    if (!(holder.content instanceof Y.ContentType)) refuse('an item inside something that is not a type');
    const type = (holder.content as Y.ContentType).type;
    if (!(type instanceof Y.XmlText) && !(type instanceof Y.XmlElement)) refuse(`an item inside a ${type.constructor.name}`);
    // Checked when the holder itself is checked; its depth and objective come from where it lands.
    const above = this.placeOf(holder).parent;
    const objectiveAbove = above.kind === 'element' ? above.objective : null;
    if (type instanceof Y.XmlText) return { kind: 'text', objective: objectiveAbove, field: above.kind === 'element' ? above.name : null, self: holder };
    if (above.kind === 'gone') return above;
    const depth = above.kind === 'element' ? above.depth + 1 : 1;
    if (depth > this.limits.maxDepth) refuse(`elements nest deeper than ${this.limits.maxDepth}`);
    const name = (type as Y.XmlElement).nodeName;
    return { kind: 'element', name, depth, objective: name === OBJECTIVE ? holder : objectiveAbove, self: holder };
  }

  /** A type already in the document, as a parent. */
  private liveParent(type: SharedType | null): Parent {
    if (type === null) return { kind: 'gone' };
    if (type instanceof Y.XmlText) {
      const field = type._item?.parent instanceof Y.XmlElement ? type._item.parent.nodeName : null;
      return { kind: 'text', objective: this.objectiveOf(type), field, self: type };
    }
    if (type instanceof Y.XmlElement)
      return { kind: 'element', name: type.nodeName, depth: this.liveDepth(type), objective: this.objectiveOf(type), self: type };
    if (type._item === null) {
      // A root type the server never asked for by class stays a plain AbstractType: know it by name.
      if ((this.doc.share.get(CONTENT_FIELD) as unknown) !== type) refuse('an item inside an unknown top-level type');
      return { kind: 'fragment' };
    }
    refuse(`an item inside a ${type.constructor.name}`);
  }

  private liveDepth(element: Y.XmlElement): number {
    let depth = 0;
    for (let type: SharedType | null = element; type?._item; type = type._item.parent as SharedType | null) {
      if (++depth > this.limits.maxDepth) refuse(`elements nest deeper than ${this.limits.maxDepth}`);
    }
    return depth;
  }

  /** The objective a live type is or lies in, when the sender's right to write objectives is checked. */
  private objectiveOf(type: SharedType): Y.XmlElement | null {
    return this.may ? objectiveAt(type, this.limits.maxDepth) : null;
  }

  private isOwn(struct: Struct): boolean {
    return this.ownStructs.has(struct) && !this.known(struct);
  }

  /** The struct holding `id`: the document's where it holds that clock (Yjs keeps its own over a resent one), else the update's. */
  private structAt(id: Y.ID): Struct | undefined {
    const structs = this.doc.store.clients.get(id.client);
    if (structs && id.clock < Y.getState(this.doc.store, id.client)) return structs[Y.findIndexSS(structs, id.clock)] as Struct;
    const own = this.own.get(id.client);
    if (own && own.length > 0 && id.clock >= own[0].id.clock) {
      const last = own[own.length - 1];
      if (id.clock < last.id.clock + last.length) {
        const found = own[Y.findIndexSS(own as Y.Item[], id.clock)];
        // A Skip is a gap: the update itself says it lacks that history.
        if (found instanceof Y.Skip) refuse('the update builds on history it does not carry');
        return found;
      }
    }
    refuse('the update builds on history the server does not have');
  }
}
