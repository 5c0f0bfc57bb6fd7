import type { AttributeSpec, ContentMatch, NodeType, Schema } from '@tiptap/pm/model';
import { isCalendarDay } from '#shared/dayInWords';
import { OBJECTIVE, OBJECTIVE_ID, OBJECTIVE_TEXT_FACTS } from '#shared/objective';
import { HEADING_LEVELS, documentSchema } from '#shared/schema';

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
  /** What some attributes' values must be beyond their type, by element or mark and attribute: what every page can show. */
  values: Map<string, Map<string, ValueRule>>;
}

/** A rule on an attribute's value beyond its type, and what it asks for in words. */
export interface ValueRule {
  allows(value: unknown): boolean;
  says: string;
}

const isText = (value: unknown) => typeof value === 'string';
const TEXT: ValueRule = { allows: isText, says: 'text' };

/**
 * The value rules of the app's schema. Each stands for a page that threw on another value: an
 * impossible target date blanked every page showing the objective; a link whose address was a
 * number hid the text after it in every editor, and lost what its readers typed next.
 */
function valueRules(schema: Schema): Map<string, Map<string, ValueRule>> {
  const values = new Map<string, Map<string, ValueRule>>();
  // The editor makes no other level, and renders any other as a level-1 heading.
  if (schema.nodes.heading)
    values.set('heading', new Map([['level', { allows: (v) => (HEADING_LEVELS as readonly unknown[]).includes(v), says: HEADING_LEVELS.join(', ') }]]));
  if (schema.nodes[OBJECTIVE])
    values.set(
      OBJECTIVE,
      new Map([
        // Empty until the editor gives it one.
        ['id', { allows: (v) => v === '' || (isText(v) && OBJECTIVE_ID.test(v as string)), says: 'letters, digits, - and _ (at most 64)' }],
        ['targetDate', { allows: (v) => v === '' || (isText(v) && isCalendarDay(v as string)), says: 'a day written yyyy-mm-dd, or empty' }],
        // Typed in their fields now (objectiveOwners, objectiveIndicators): words written here no page would show.
        ...OBJECTIVE_TEXT_FACTS.map((f): [string, ValueRule] => [
          f.key,
          { allows: (v) => v === '', says: `empty (the ${f.key} are the ${f.node} field's text)` },
        ]),
      ]),
    );
  if (schema.marks.link) values.set('link', new Map(['href', 'target', 'rel', 'class', 'title'].map((name) => [name, TEXT])));
  return values;
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
  const rules: SchemaRules = { children: new Map(), holdsText: new Set(), attributes: new Map(), marks, values: valueRules(schema) };
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

/**
 * Why `value` cannot be attribute `key` of `element`, or null: declared by the schema, null (unset)
 * or a scalar of its default's type, strings at most `maxChars`, one of the allowed values where
 * the schema's user allows only some. The update gate and suggested blocks check alike.
 */
export function attributeProblem(rules: SchemaRules, element: string, key: string, value: unknown, maxChars: number): string | null {
  const expected = rules.attributes.get(element)?.get(key);
  if (expected === undefined) return `${element} has no attribute ${JSON.stringify(key).slice(0, 60)}`;
  const problem = valueProblem(`attribute ${element}.${key}`, expected, value, maxChars);
  if (problem || value === null) return problem;
  const rule = rules.values.get(element)?.get(key);
  if (rule && !rule.allows(value)) return `attribute ${element}.${key} must be ${rule.says}`;
  return null;
}

/**
 * Why mark `name` carrying `value` cannot be in the text, or null: a known mark whose attribute
 * object holds only the attributes it declares, each checked like a node's (a mark is one item
 * of the text whatever it carries). `null` removes a mark; `true` is a plain Yjs client's mark
 * without attributes.
 */
export function markProblem(rules: SchemaRules, name: string, value: unknown, maxChars: number): string | null {
  const declared = rules.marks.get(name);
  if (!declared) return `unknown mark ${JSON.stringify(name).slice(0, 60)}`;
  if (value === null || value === true) return null;
  if (typeof value !== 'object' || Array.isArray(value)) return `mark ${name} must carry an attribute object`;
  for (const [attr, attrValue] of Object.entries(value as Record<string, unknown>)) {
    const expected = declared.get(attr);
    if (expected === undefined) return `mark ${name} has no attribute ${JSON.stringify(attr).slice(0, 60)}`;
    const problem = valueProblem(`mark ${name}.${attr}`, expected, attrValue, maxChars);
    if (problem) return problem;
    const rule = rules.values.get(name)?.get(attr);
    if (rule && attrValue !== null && !rule.allows(attrValue)) return `mark ${name}.${attr} must be ${rule.says}`;
  }
  return null;
}

function valueProblem(what: string, expected: 'string' | 'number' | 'boolean' | null, value: unknown, maxChars: number): string | null {
  // null is how an attribute is left unset.
  if (value === null) return null;
  if (expected !== null ? typeof value !== expected : !isScalar(value)) return `${what} has the wrong type`;
  if (typeof value === 'string' && value.length > maxChars) return `${what} is too long`;
  return null;
}

function isScalar(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
