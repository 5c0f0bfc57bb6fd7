import { OBJECTIVE, OBJECTIVE_FIELDS } from '#shared/objective';
import { OBJECTIVE_FACTS, factInWords } from '#shared/objectiveFacts';
import { textOf } from '#shared/objectives';
import type { ProseMirrorJSON } from '#shared/snapshots';

const text = (value: string, bold = false): ProseMirrorJSON => ({ type: 'text', text: value, ...(bold ? { marks: [{ type: 'bold' }] } : {}) });
const labelled = (label: string, value: ProseMirrorJSON[]): ProseMirrorJSON => ({
  type: 'paragraph',
  content: [text(`${label}:`, true), ...(value.length > 0 ? [text(' '), ...value] : [text(' (empty)')])],
});

/**
 * The document as a reader of an export needs it: each objective block becomes plain,
 * labelled paragraphs (its title, every fact in words, intent, band, trigger), so every
 * exporter renders it without knowing the block. A leading level-1 heading that repeats the
 * agreement's title is left out: the export states the title once. Headings are then lifted
 * so the highest is level 1 (exporters put the title above it, one level up). The fingerprint
 * is computed on the original content, never on this.
 */
export function readableContent(doc: ProseMirrorJSON, parties: { id: string; name: string }[], agreementTitle?: string): ProseMirrorJSON {
  const lower = (node: ProseMirrorJSON): ProseMirrorJSON[] => {
    if (node.type !== OBJECTIVE) return [node.content ? { ...node, content: node.content.flatMap(lower) } : node];
    const attrs = (node.attrs ?? {}) as Record<string, unknown>;
    const field = (key: string) => node.content?.find((c) => c.type === OBJECTIVE_FIELDS.find((f) => f.key === key)?.node)?.content ?? [];
    const title = textOf({ type: 'x', content: field('title') }).trim() || 'Untitled objective';
    return [
      { type: 'paragraph', content: [text(`Objective: ${title}`, true)] },
      ...OBJECTIVE_FACTS.map((f) => labelled(f.label, [text(factInWords(f.key, attrs[f.key], parties))])),
      ...OBJECTIVE_FIELDS.filter((f) => f.key !== 'title').map((f) => labelled(f.label, field(f.key))),
    ];
  };
  let blocks = doc.content ?? [];
  const first = blocks[0];
  if (agreementTitle !== undefined && first?.type === 'heading' && Number(first.attrs?.level ?? 1) === 1 && textOf(first).trim() === agreementTitle.trim()) {
    blocks = blocks.slice(1);
  }
  return { ...doc, content: liftHeadings(blocks.flatMap(lower)) };
}

const headingLevel = (node: ProseMirrorJSON) => Number(node.attrs?.level ?? 1);

/**
 * Raises every heading by the same number of levels so the highest one is level 1. With the
 * title heading dropped, a text of `##` sections would otherwise export as `###` right under
 * the title's `#`, a skipped level that Word's navigation and screen readers show as a gap.
 */
function liftHeadings(blocks: ProseMirrorJSON[]): ProseMirrorJSON[] {
  const levels: number[] = [];
  const collect = (node: ProseMirrorJSON) => {
    if (node.type === 'heading') levels.push(headingLevel(node));
    node.content?.forEach(collect);
  };
  blocks.forEach(collect);
  const lift = levels.length > 0 ? Math.min(...levels) - 1 : 0;
  if (lift <= 0) return blocks;
  const lifted = (node: ProseMirrorJSON): ProseMirrorJSON => {
    const content = node.content?.map(lifted);
    const attrs = node.type === 'heading' ? { ...node.attrs, level: headingLevel(node) - lift } : node.attrs;
    return { ...node, ...(attrs ? { attrs } : {}), ...(content ? { content } : {}) };
  };
  return blocks.map(lifted);
}
