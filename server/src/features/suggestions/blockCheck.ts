import { Fragment, type Node as PMNode } from '@tiptap/pm/model';
import { documentSchema } from '#shared/schema';
import { safeHref } from '#shared/safeLinks';
import type { ProseMirrorJSON } from '#shared/snapshots';
import { isSafeText } from '#shared/text';
import type { UpdateLimits } from '../../rooms/guards/limits';
import { attributeProblem, documentRules, markProblem } from '../../rooms/guards/schemaRules';
import { objectivesProblem } from './objectiveBlocks';
import { ShapeError } from './shapeError';

/** The text's limits suggested blocks keep to (the update gate's). */
export type BlockLimits = Pick<UpdateLimits, 'maxDepth' | 'maxAttributeChars'>;

/** Where suggested blocks go: the text (its ProseMirror copy), the passage they replace, and the agreement's parties. */
export interface BlockPlace {
  pm: PMNode;
  from: number;
  to: number;
  partyIds: readonly string[];
}

/**
 * Suggested blocks as the shared schema reads them, checked as the text checks every write:
 * the update gate's rules for attributes, marks and depth (rooms/guards/schemaRules.ts), the
 * schema's content rules, safe text, safe links, and objectives' facts and ids. What is stored
 * and applied is this fragment (defaults filled in), never the JSON as sent. Throws
 * {@link ShapeError} with the reason.
 */
export function checkedBlocks(blocks: ProseMirrorJSON[], place: BlockPlace, limits: BlockLimits): Fragment {
  if (!Array.isArray(blocks)) throw new ShapeError('the blocks are not a list');
  const rules = documentRules();
  // The JSON first, by loop: its depth is not yet known to be bounded when called for stored suggestions.
  const base = place.pm.resolve(place.from).depth;
  const stack = blocks.map((node) => ({ node, depth: base + 1 }));
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (typeof node !== 'object' || node === null || typeof node.type !== 'string') throw new ShapeError('a block is not a node');
    if ((node.content !== undefined && !Array.isArray(node.content)) || (node.marks !== undefined && !Array.isArray(node.marks)))
      throw new ShapeError(`the content or marks of ${node.type} are not a list`);
    for (const mark of node.marks ?? []) {
      const problem = typeof mark?.type === 'string' ? markProblem(rules, mark.type, mark.attrs ?? null, limits.maxAttributeChars) : 'a mark has no type';
      if (problem) throw new ShapeError(problem);
    }
    if (node.type === 'text') {
      if (typeof node.text !== 'string' || !isSafeText(node.text))
        throw new ShapeError('a text holds a control character, a bidirectional override or a broken character (lone surrogate)');
      continue;
    }
    if (depth > limits.maxDepth) throw new ShapeError(`the blocks nest deeper than the text may (${limits.maxDepth} levels)`);
    if (!rules.attributes.has(node.type)) throw new ShapeError(`the agreement has no ${JSON.stringify(node.type).slice(0, 60)} block`);
    if (node.attrs !== undefined && (typeof node.attrs !== 'object' || node.attrs === null || Array.isArray(node.attrs)))
      throw new ShapeError(`the attributes of ${node.type} are not an object`);
    for (const [key, value] of Object.entries(node.attrs ?? {})) {
      const problem = attributeProblem(rules, node.type, key, value, limits.maxAttributeChars);
      if (problem) throw new ShapeError(problem);
    }
    for (const child of node.content ?? []) stack.push({ node: child, depth: depth + 1 });
  }
  let fragment: Fragment;
  try {
    fragment = Fragment.fromJSON(documentSchema(), blocks);
    fragment.forEach((node) => node.check());
  } catch (err) {
    throw new ShapeError(`the blocks do not fit the agreement's schema: ${(err as Error).message}`);
  }
  fragment.forEach((block) =>
    block.descendants((node) => {
      const link = node.marks.find((mark) => mark.type.name === 'link');
      if (link && safeHref(link.attrs.href) === null) throw new ShapeError('a link may only go to a web (http, https) or mail address');
    }),
  );
  const problem = objectivesProblem(fragment, place, limits.maxAttributeChars);
  if (problem) throw new ShapeError(problem);
  return fragment;
}
