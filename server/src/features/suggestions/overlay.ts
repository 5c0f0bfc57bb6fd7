import { Fragment, Schema, type Mark, type Node as PMNode } from '@tiptap/pm/model';
import { Transform } from '@tiptap/pm/transform';
import { documentSchema } from '#shared/schema';
import type { ProseMirrorJSON } from '#shared/snapshots';
import type { Suggestion } from '#shared/suggestions';

/** Attributes of a tracked change: who made it and when (a diff's marks carry `personId`, `name`, `party`). */
const CHANGE_ATTRS = { name: { default: '' }, date: { default: null }, personId: { default: '' }, party: { default: null } };

/** Block attribute naming a block added or removed whole, as a diff names one (computeDiff.ts, read by readable.ts and docx.ts). */
const BLOCK_CHANGE = 'blockChange';

let cached: Schema | undefined;
/**
 * The agreement schema plus `insertion` and `deletion` marks, and a `blockChange` attribute on
 * every block, to lay suggestions over the text for an export: a block with no text (an empty
 * paragraph, a rule) has nothing for a mark to sit on.
 */
function redlineSchema(): Schema {
  if (cached) return cached;
  const base = documentSchema();
  let nodes = base.spec.nodes;
  base.spec.nodes.forEach((name, spec) => {
    if (name === 'text' || name === base.topNodeType.name || spec.inline) return;
    nodes = nodes.update(name, { ...spec, attrs: { ...spec.attrs, [BLOCK_CHANGE]: { default: null } } });
  });
  cached = new Schema({
    nodes,
    marks: base.spec.marks.append({ insertion: { attrs: CHANGE_ATTRS }, deletion: { attrs: CHANGE_ATTRS } }),
  });
  return cached;
}

/** A suggestion located in the live text. */
export interface PlacedSuggestion {
  suggestion: Suggestion;
  from: number;
  to: number;
}

/**
 * The live text with open suggestions laid over it as `deletion` marks on the passages
 * they replace and `insertion`-marked text after them, each naming the suggester and the
 * time of the suggestion: what a redline export renders as tracked changes.
 */
export function overlaySuggestions(live: PMNode, placed: PlacedSuggestion[]): ProseMirrorJSON {
  const schema = redlineSchema();
  const tr = new Transform(schema.nodeFromJSON(live.toJSON()));
  // Last first: each change then leaves the positions of those before it where they were.
  const ordered = [...placed].sort((a, b) => b.from - a.from || b.to - a.to);
  for (const { suggestion: s, from, to } of ordered) {
    // Word tracks formatting as w:rPrChange, which the docx package does not write: formatting suggestions stay out.
    if (s.kind === 'format') continue;
    const attrs = { name: s.author.name, date: s.createdAt, personId: s.author.personId, party: s.author.party ?? null };
    const insertion = schema.marks.insertion.create(attrs);
    if (to > from) tr.addMark(from, to, schema.marks.deletion.create(attrs));
    if (s.kind === 'text' && s.text) {
      const $at = tr.doc.resolve(to);
      const marks = [...$at.marks().filter((m) => m.type.name !== 'deletion'), insertion].filter((m) => $at.parent.type.allowsMarkType(m.type));
      tr.insert(to, schema.text(s.text, marks));
    } else if (s.kind === 'blocks') {
      // A blocks suggestion replaces whole children of one parent (passage.ts): each is removed whole, each of its blocks added whole.
      const $from = tr.doc.resolve(from);
      $from.parent.forEach((child, offset) => {
        const pos = $from.start() + offset;
        if (pos >= from && pos + child.nodeSize <= to) tr.setNodeAttribute(pos, BLOCK_CHANGE, { type: 'removed', author: attrs });
      });
      if (s.blocks?.length) {
        const added = s.blocks.map((block) => ({ ...block, attrs: { ...block.attrs, [BLOCK_CHANGE]: { type: 'added', author: attrs } } }));
        tr.insert(to, markAll(Fragment.fromJSON(schema, added), insertion));
      }
    }
  }
  return tr.doc.toJSON() as ProseMirrorJSON;
}

/** Every text of `fragment` with `mark` added (where its parent allows it). */
function markAll(fragment: Fragment, mark: Mark): Fragment {
  const nodes: PMNode[] = [];
  fragment.forEach((node) => {
    if (node.isText) nodes.push(node.mark(mark.addToSet(node.marks)));
    else nodes.push(node.copy(markAll(node.content, mark)));
  });
  return Fragment.from(nodes);
}
