import type { AttributeSpec, ContentMatch, NodeType, Schema } from '@tiptap/pm/model';
import { documentSchema } from '#shared/schema';

/** What the shared schema allows, in the terms Yjs stores it (y-prosemirror's mapping). */
export interface SchemaRules {
  /** Element names each element (and 'doc', the fragment) may hold as children. */
  children: Map<string, Set<string>>;
  /** Elements whose content is inline: they hold Y.XmlText. */
  holdsText: Set<string>;
  /** Each element's attributes, with the type of its default when it has one (null: any scalar). */
  attributes: Map<string, DeclaredAttributes>;
  /** Each mark (format keys of Y.XmlText, before y-prosemirror's `--hash` suffix) with its attributes, declared the same way. */
  marks: Map<string, DeclaredAttributes>;
}

/** Attribute names a node or mark declares, each with the type of its default (null: any scalar). */
export type DeclaredAttributes = Map<string, 'string' | 'number' | 'boolean' | null>;

function declared(attrs: { [name: string]: AttributeSpec } | undefined): DeclaredAttributes {
  const attributes: DeclaredAttributes = new Map();
  for (const [name, spec] of Object.entries(attrs ?? {})) {
    const fallback: unknown = spec.default;
    const kind = typeof fallback;
    attributes.set(name, kind === 'string' || kind === 'number' || kind === 'boolean' ? kind : null);
  }
  return attributes;
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
  const marks = new Map(Object.values(schema.marks).map((mark) => [mark.name, declared(mark.spec.attrs)]));
  const rules: SchemaRules = { children: new Map(), holdsText: new Set(), attributes: new Map(), marks };
  for (const type of Object.values(schema.nodes)) {
    if (type.isText) continue;
    const children = new Set<string>();
    for (const child of reachableTypes(type.contentMatch)) {
      if (child.isText) rules.holdsText.add(type.name);
      else children.add(child.name);
    }
    rules.children.set(type.name, children);
    rules.attributes.set(type.name, declared(type.spec.attrs));
  }
  return rules;
}

let cached: SchemaRules | undefined;

/** The rules of the shared Tiptap schema (built once). */
export function documentRules(): SchemaRules {
  cached ??= rulesOf(documentSchema());
  return cached;
}
