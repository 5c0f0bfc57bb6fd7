import type { ContentMatch, NodeType, Schema } from '@tiptap/pm/model';
import { HEADING_LEVELS, documentSchema } from '#shared/schema';

/** What the shared schema allows, in the terms Yjs stores it (y-prosemirror's mapping). */
export interface SchemaRules {
  /** Element names each element (and 'doc', the fragment) may hold as children. */
  children: Map<string, Set<string>>;
  /** Elements whose content is inline: they hold Y.XmlText. */
  holdsText: Set<string>;
  /** Each element's attributes, with the type of its default when it has one (null: any scalar). */
  attributes: Map<string, Map<string, 'string' | 'number' | 'boolean' | null>>;
  /** Mark names (format keys of Y.XmlText, before y-prosemirror's `--hash` suffix). */
  marks: Set<string>;
  /** The only values some attributes take, by element and attribute (a heading's level). */
  values: Map<string, Map<string, ReadonlySet<unknown>>>;
}

/** Every node type a content expression can reach, walking its automaton once. */
function reachableTypes(start: ContentMatch): Set<NodeType> {
  const types = new Set<NodeType>();
  const seen = new Set<ContentMatch>([start]);
  const queue = [start];
  while (queue.length > 0) {
    const match = queue.pop()!;
    for (let i = 0; i < match.edgeCount; i++) {
      const { type, next } = match.edge(i);
      types.add(type);
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return types;
}

export function rulesOf(schema: Schema): SchemaRules {
  const rules: SchemaRules = { children: new Map(), holdsText: new Set(), attributes: new Map(), marks: new Set(Object.keys(schema.marks)), values: new Map() };
  // The editor makes no other level, and renders any other as a level-1 heading.
  if (schema.nodes.heading) rules.values.set('heading', new Map([['level', new Set(HEADING_LEVELS)]]));
  for (const type of Object.values(schema.nodes)) {
    if (type.isText) continue;
    const children = new Set<string>();
    for (const child of reachableTypes(type.contentMatch)) {
      if (child.isText) rules.holdsText.add(type.name);
      else children.add(child.name);
    }
    rules.children.set(type.name, children);
    const attributes = new Map<string, 'string' | 'number' | 'boolean' | null>();
    for (const [name, spec] of Object.entries(type.spec.attrs ?? {})) {
      const fallback: unknown = spec.default;
      const kind = typeof fallback;
      attributes.set(name, kind === 'string' || kind === 'number' || kind === 'boolean' ? kind : null);
    }
    rules.attributes.set(type.name, attributes);
  }
  return rules;
}

let cached: SchemaRules | undefined;

/** The rules of the shared Tiptap schema (built once). */
export function documentRules(): SchemaRules {
  cached ??= rulesOf(documentSchema());
  return cached;
}

/** Why `value` cannot be attribute `key` of `element`, or null: the update gate and suggested blocks check alike. */
export function attributeProblem(rules: SchemaRules, element: string, key: string, value: unknown, maxChars: number): string | null {
  const expected = rules.attributes.get(element)?.get(key);
  if (expected === undefined) return `${element} has no attribute ${JSON.stringify(key).slice(0, 60)}`;
  // null is how an attribute is left unset.
  if (value === null) return null;
  if (expected !== null ? typeof value !== expected : !isScalar(value)) return `attribute ${element}.${key} has the wrong type`;
  if (typeof value === 'string' && value.length > maxChars) return `attribute ${element}.${key} is too long`;
  const allowed = rules.values.get(element)?.get(key);
  if (allowed && !allowed.has(value)) return `attribute ${element}.${key} is not one of ${[...allowed].join(', ')}`;
  return null;
}

/** Why a mark `name` with attributes `value` cannot be in the text, or null (`true`: a plain Yjs client's mark without attributes). */
export function markProblem(rules: SchemaRules, name: string, value: unknown, maxChars: number): string | null {
  if (!rules.marks.has(name)) return `unknown mark ${JSON.stringify(name).slice(0, 60)}`;
  if (value === null || value === true) return null;
  if (typeof value !== 'object' || Array.isArray(value)) return `mark ${name} must carry an attribute object`;
  for (const attr of Object.values(value as Record<string, unknown>)) {
    if (attr !== null && !isScalar(attr)) return `mark ${name} has a non-scalar attribute`;
    if (typeof attr === 'string' && attr.length > maxChars) return `mark ${name} has an attribute too long`;
  }
  return null;
}

function isScalar(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
