import { OBJECTIVE, OBJECTIVE_FIELDS } from '#shared/objective';
import { textOf } from '#shared/objectives';
import type { ProseMirrorJSON } from '#shared/snapshots';

const text = (value: string, bold = false): ProseMirrorJSON => ({ type: 'text', text: value, ...(bold ? { marks: [{ type: 'bold' }] } : {}) });
const labelled = (label: string, value: ProseMirrorJSON[]): ProseMirrorJSON => ({ type: 'paragraph', content: [text(`${label}: `, true), ...value] });

/**
 * The document as a reader of an export needs it: each objective block becomes plain,
 * labelled paragraphs (whose objective, intent, band, trigger, owners, date, quick win),
 * so every exporter renders it without knowing the block. The fingerprint is computed
 * on the original content, never on this.
 */
export function readableContent(doc: ProseMirrorJSON, parties: { id: string; name: string }[]): ProseMirrorJSON {
  const lower = (node: ProseMirrorJSON): ProseMirrorJSON[] => {
    if (node.type !== OBJECTIVE) return [node.content ? { ...node, content: node.content.flatMap(lower) } : node];
    const attrs = (node.attrs ?? {}) as Record<string, unknown>;
    const field = (key: string) => node.content?.find((c) => c.type === OBJECTIVE_FIELDS.find((f) => f.key === key)?.node)?.content ?? [];
    const title = textOf({ type: 'x', content: field('title') }).trim() || 'Untitled objective';
    const scope = attrs.scope === 'shared' ? 'Shared objective' : `Own objective of ${parties.find((p) => p.id === attrs.scope)?.name ?? 'a party'}`;
    const facts = [
      scope,
      attrs.quickWin ? 'quick win' : '',
      attrs.owners ? `owners: ${String(attrs.owners)}` : '',
      attrs.targetDate ? `target date: ${String(attrs.targetDate)}` : '',
      attrs.indicators ? `indicators: ${String(attrs.indicators)}` : '',
    ].filter(Boolean);
    return [
      { type: 'paragraph', content: [text(`Objective: ${title}`, true)] },
      { type: 'paragraph', content: [text(facts.join(' · '))] },
      ...OBJECTIVE_FIELDS.filter((f) => f.key !== 'title').map((f) => labelled(f.label, field(f.key))),
    ];
  };
  return { ...doc, content: (doc.content ?? []).flatMap(lower) };
}
