import * as Y from 'yjs';
import { CONTENT_FIELD } from '#shared/rooms';
import type { UpdateLimits } from './limits';
import { attributeProblem, markProblem, type SchemaRules } from './schemaRules';
import { UpdateRefused } from './updateCost';

/** Where an item of an update would land, as far as the schema cares. */
type Parent =
  | { kind: 'fragment' }
  | { kind: 'element'; name: string; depth: number }
  | { kind: 'text' }
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
 * inline content) and its attributes as scalars, a Y.XmlText holds strings and known marks.
 * Anything else (a Y.Map, a bare Y.XmlText at the top, unknown names, deep nesting, an
 * update whose history the server does not have) throws {@link UpdateRefused}.
 */
export function validateTextUpdate(doc: Y.Doc, decoded: ReturnType<typeof Y.decodeUpdate>, rules: SchemaRules, limits: UpdateLimits): void {
  new UpdateValidator(doc, decoded.structs as Struct[], rules, limits).run();
}

class UpdateValidator {
  /** The update's structs of each client, in clock order, to find an item by any id inside it. */
  private readonly own = new Map<number, Struct[]>();
  private readonly ownStructs: Set<Struct>;
  private readonly places = new Map<Y.Item, Place>();

  constructor(
    private readonly doc: Y.Doc,
    private readonly structs: Struct[],
    private readonly rules: SchemaRules,
    private readonly limits: UpdateLimits,
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
      if (struct instanceof Y.Item) this.check(struct, this.placeOf(struct));
    }
  }

  private check(item: Y.Item, place: Place): void {
    const { content } = item;
    if (content instanceof Y.ContentDeleted || place.parent.kind === 'gone') return;
    const parent = place.parent;
    if (parent.kind === 'text') {
      if (place.parentSub !== null) refuse('a text node has no attributes');
      if (content instanceof Y.ContentString) return;
      if (content instanceof Y.ContentFormat) return this.checkMark(content.key, content.value);
      refuse(`a text node cannot hold ${content.constructor.name}`);
    }
    const holder = parent.kind === 'fragment' ? 'doc' : parent.name;
    if (place.parentSub !== null) {
      if (parent.kind === 'fragment') refuse('the document has no attributes');
      return this.checkAttribute(holder, place.parentSub, content);
    }
    if (!(content instanceof Y.ContentType)) refuse(`${holder} cannot hold ${content.constructor.name}`);
    const type = content.type;
    if (type instanceof Y.XmlText) {
      if (!this.rules.holdsText.has(holder)) refuse(`${holder} cannot hold text`);
      return;
    }
    if (!(type instanceof Y.XmlElement)) refuse(`${holder} cannot hold a ${type.constructor.name}`);
    const element = type as Y.XmlElement;
    if (!this.rules.children.get(holder)?.has(element.nodeName)) refuse(`${holder} cannot hold ${JSON.stringify(element.nodeName).slice(0, 60)}`);
    const depth = parent.kind === 'element' ? parent.depth + 1 : 1;
    if (depth > this.limits.maxDepth) refuse(`elements nest deeper than ${this.limits.maxDepth}`);
  }

  private checkAttribute(element: string, key: string, content: Y.Item['content']): void {
    if (!this.rules.attributes.get(element)?.has(key)) refuse(`${element} has no attribute ${JSON.stringify(key).slice(0, 60)}`);
    if (!(content instanceof Y.ContentAny) || content.arr.length !== 1) refuse(`attribute ${key} must be one value`);
    const problem = attributeProblem(this.rules, element, key, (content as Y.ContentAny).arr[0], this.limits.maxAttributeChars);
    if (problem) refuse(problem);
  }

  private checkMark(key: string, value: unknown): void {
    // y-prosemirror names overlapping marks `<name>--<8-character hash>`.
    const name = /^(.*)--[a-zA-Z0-9+/=]{8}$/.exec(key)?.[1] ?? key;
    const problem = this.rules.marks.has(name)
      ? markProblem(this.rules, name, value, this.limits.maxAttributeChars)
      : `unknown mark ${JSON.stringify(key).slice(0, 60)}`;
    if (problem) refuse(problem);
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
    if (type instanceof Y.XmlText) return { kind: 'text' };
    if (!(type instanceof Y.XmlElement)) refuse(`an item inside a ${type.constructor.name}`);
    // Checked when the holder itself is checked; its depth comes from where it lands.
    const above = this.placeOf(holder).parent;
    if (above.kind === 'gone') return above;
    const depth = above.kind === 'element' ? above.depth + 1 : 1;
    if (depth > this.limits.maxDepth) refuse(`elements nest deeper than ${this.limits.maxDepth}`);
    return { kind: 'element', name: (type as Y.XmlElement).nodeName, depth };
  }

  /** A type already in the document, as a parent. */
  private liveParent(type: SharedType | null): Parent {
    if (type === null) return { kind: 'gone' };
    if (type instanceof Y.XmlText) return { kind: 'text' };
    if (type instanceof Y.XmlElement) return { kind: 'element', name: type.nodeName, depth: this.liveDepth(type) };
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

  private isOwn(struct: Struct): boolean {
    return this.ownStructs.has(struct);
  }

  /** The struct holding `id`: the update's own first, then the document's. */
  private structAt(id: Y.ID): Struct | undefined {
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
    const structs = this.doc.store.clients.get(id.client);
    if (!structs || id.clock >= Y.getState(this.doc.store, id.client)) {
      refuse('the update builds on history the server does not have');
    }
    return structs![Y.findIndexSS(structs!, id.clock)] as Struct;
  }
}

function refuse(reason: string): never {
  throw new UpdateRefused(`update refused: ${reason}`);
}
