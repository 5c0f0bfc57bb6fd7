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
 * agreement's title is left out: the export states the title once. The fingerprint is
 * computed on the original content, never on this.
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
  return { ...doc, content: blocks.flatMap(lower) };
}
