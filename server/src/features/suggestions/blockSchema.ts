import { TextFormat } from '#shared/text';
import { DEFAULT_UPDATE_LIMITS } from '../../rooms/guards/limits';

/**
 * The JSON shape of a suggested block, for the route's schema: ProseMirror JSON whose
 * attributes are scalars and whose nesting stops at the text's depth limit. Ajv refuses a
 * deeper body at that level, so nothing recursive (ProseMirror, JSON.stringify, Yjs) ever
 * sees one; what the nodes, attributes and marks mean is checked against the shared schema
 * afterwards (blockCheck.ts).
 */

/** Levels of nodes a suggested block may have: the text's element depth, and its text nodes. */
export const MAX_BLOCK_LEVELS = DEFAULT_UPDATE_LIMITS.maxDepth + 1;

const scalar = { type: ['string', 'number', 'boolean', 'null'], maxLength: DEFAULT_UPDATE_LIMITS.maxAttributeChars } as const;
const attrs = { type: 'object', maxProperties: 32, additionalProperties: scalar } as const;
const name = { type: 'string', minLength: 1, maxLength: 64 } as const;
const mark = { type: 'object', required: ['type'], additionalProperties: false, properties: { type: name, attrs } } as const;

/** A node with at most `levels` levels of nodes (itself included); its children are the level below, by reference. */
function node(levels: number): object {
  return {
    type: 'object',
    required: ['type'],
    additionalProperties: false,
    properties: {
      type: name,
      attrs,
      marks: { type: 'array', maxItems: 16, items: mark },
      text: { type: 'string', format: TextFormat.text },
      ...(levels > 1 ? { content: { type: 'array', items: { $ref: `#/$defs/level${levels - 1}` } } } : {}),
    },
  };
}

/** What the request types are derived from: the unrolled levels would be too many types for TypeScript to expand. */
interface Declared {
  type: 'object';
  required: ['type'];
  properties: { type: { type: 'string' } };
}

/**
 * A suggested block's JSON shape, depth-bounded (see above). Each level is a definition of its
 * own that refers to the next: Ajv then compiles one small function per level (inlined, the
 * levels made 1.9 MB of code and took 270 ms to compile).
 */
export const blockSchema = {
  $id: 'suggestion-block',
  ...node(MAX_BLOCK_LEVELS),
  $defs: Object.fromEntries(Array.from({ length: MAX_BLOCK_LEVELS - 1 }, (_, i) => [`level${i + 1}`, node(i + 1)])),
} as unknown as Declared;
