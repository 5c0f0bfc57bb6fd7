import { TextFormat } from '#shared/text';
import { DEFAULT_UPDATE_LIMITS } from '../../rooms/guards/limits';

/**
 * The JSON shape of a suggested block, for the route's schema: ProseMirror JSON whose attributes
 * are scalars. Its nesting is bounded before the schema is checked (tooDeepAt, in the route's
 * preValidation), so nothing recursive (Ajv's validator, ProseMirror, JSON.stringify, Yjs) ever
 * sees a deeper body; what the nodes, attributes and marks mean is checked against the shared
 * schema afterwards (blockCheck.ts).
 */

/** Levels of nodes a suggested block may have: the text's element depth, and its text nodes. */
export const MAX_BLOCK_LEVELS = DEFAULT_UPDATE_LIMITS.maxDepth + 1;

const scalar = { type: ['string', 'number', 'boolean', 'null'], maxLength: DEFAULT_UPDATE_LIMITS.maxAttributeChars } as const;
const attrs = { type: 'object', maxProperties: 32, additionalProperties: scalar } as const;
const name = { type: 'string', minLength: 1, maxLength: 64 } as const;
const mark = { type: 'object', required: ['type'], additionalProperties: false, properties: { type: name, attrs } } as const;

/** What the request types are derived from: a schema that refers to itself is too deep for TypeScript to expand. */
interface Declared {
  type: 'object';
  required: ['type'];
  properties: { type: { type: 'string' } };
}

/**
 * A suggested block's JSON shape: one definition whose content refers to itself. Ajv compiles it
 * into one function in about 15 ms; unrolled into a definition per level (JSON Schema has no depth
 * limit of its own), it took 204 ms of every server start, 60 % of compiling every route's schema.
 * Ajv's function calls itself once per level: only bodies within MAX_BLOCK_LEVELS reach it.
 */
export const blockSchema = {
  $id: 'suggestion-block',
  type: 'object',
  required: ['type'],
  additionalProperties: false,
  properties: {
    type: name,
    attrs,
    marks: { type: 'array', maxItems: 16, items: mark },
    text: { type: 'string', format: TextFormat.text },
    content: { type: 'array', items: { $ref: '#' } },
  },
} as unknown as Declared;

/** A node on the way down, with how it was reached: the path is spelled out only for the one refused. */
interface Visit {
  node: unknown;
  level: number;
  index: number;
  parent?: Visit;
}

/**
 * Where one of `blocks` nests more than `limit` levels of nodes (a block alone is one): the path to
 * its level `limit + 1` ("/0/content/0/…"), or null when none does. Walked without recursion, so a
 * body nested 100,000 deep is answered, not a stack overflow; what is not a node's content array is
 * left to the schema.
 */
export function tooDeepAt(blocks: unknown, limit: number): string | null {
  if (!Array.isArray(blocks)) return null;
  const pending: Visit[] = blocks.map((node, index) => ({ node, level: 1, index }));
  while (pending.length > 0) {
    const visit = pending.pop()!;
    if (visit.level > limit) return pathOf(visit);
    const content = typeof visit.node === 'object' && visit.node !== null ? (visit.node as { content?: unknown }).content : undefined;
    if (Array.isArray(content)) content.forEach((node, index) => pending.push({ node, level: visit.level + 1, index, parent: visit }));
  }
  return null;
}

function pathOf(visit: Visit): string {
  const steps: string[] = [];
  for (let at: Visit | undefined = visit; at; at = at.parent) steps.push(at.parent ? `/content/${at.index}` : `/${at.index}`);
  return steps.reverse().join('');
}
