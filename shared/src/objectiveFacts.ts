import type { JSONContent } from '@tiptap/core';
import { dayInWords } from './dayInWords';
import { OBJECTIVE, OBJECTIVE_TEXT_FACTS, type ObjectiveAttrs, type ObjectiveTextFactKey } from './objective';

/**
 * An objective's facts: what a party agrees to besides its text (attributes, and owners and
 * indicators, which are child nodes typed as text: read them through {@link foldedObjective}). Every place that
 * shows an objective to a reader (diff, snapshot viewer, exports, print) names them with
 * these labels and says their values in words.
 */
export const OBJECTIVE_FACTS = [
  { key: 'scope', label: 'Whose objective' },
  { key: 'quickWin', label: 'Quick win' },
  { key: 'owners', label: 'Owners' },
  { key: 'targetDate', label: 'Target date' },
  { key: 'indicators', label: 'Indicators' },
] as const satisfies readonly { key: keyof ObjectiveAttrs; label: string }[];
export type ObjectiveFactKey = (typeof OBJECTIVE_FACTS)[number]['key'];

/** What an attribute holds when it was never set (the schema's defaults). */
export const FACT_DEFAULTS: Record<ObjectiveFactKey, string | boolean> = { scope: 'shared', quickWin: false, owners: '', targetDate: '', indicators: '' };

export function factLabel(key: ObjectiveFactKey): string {
  return OBJECTIVE_FACTS.find((f) => f.key === key)?.label ?? key;
}

/** Whose objective it is, in words. */
export function scopeInWords(scope: unknown, parties: { id: string; name: string }[]): string {
  if (scope === undefined || scope === null || scope === '' || scope === 'shared') return 'Shared objective';
  return `Own objective of ${parties.find((p) => p.id === scope)?.name ?? 'a party no longer in the agreement'}`;
}

/** A fact's value as a reader should see it ("none" for an empty one). */
export function factInWords(key: ObjectiveFactKey, value: unknown, parties: { id: string; name: string }[]): string {
  switch (key) {
    case 'scope':
      return scopeInWords(value, parties);
    case 'quickWin':
      return value === true || value === 'true' ? 'yes' : 'no';
    case 'targetDate': {
      const text = typeof value === 'string' ? value : '';
      return text ? dayInWords(text) : 'none';
    }
    default:
      return typeof value === 'string' && value.trim() ? value.trim() : 'none';
  }
}

/** Two attribute values that mean the same fact (a missing attribute is its default). */
export function sameFact(key: ObjectiveFactKey, a: unknown, b: unknown): boolean {
  const norm = (v: unknown) => (v === undefined || v === null ? FACT_DEFAULTS[key] : key === 'quickWin' ? v === true || v === 'true' : String(v));
  return norm(a) === norm(b);
}

const TEXT_FACT_NODES = new Set<string>(OBJECTIVE_TEXT_FACTS.map((f) => f.node));

/** Plain text of a JSON node. */
const plain = (node: JSONContent): string => (node.type === 'text' ? (node.text ?? '') : (node.content ?? []).map(plain).join(''));

/**
 * What an objective (ProseMirror JSON) says of a fact typed as text: its field's text, or, in a
 * text stored before owners and indicators were fields (no such child), the attribute.
 */
export function textFactOf(objective: JSONContent, key: ObjectiveTextFactKey): string {
  const node = OBJECTIVE_TEXT_FACTS.find((f) => f.key === key)!.node;
  const field = objective.content?.find((c) => c.type === node);
  if (field) return plain(field);
  const value = objective.attrs?.[key];
  return typeof value === 'string' ? value : '';
}

/**
 * An objective as hashes, exports and comparisons read it, whichever shape it was stored in:
 * owners and indicators as its attributes, only its text fields as content (the shape before
 * they were fields, so a stance given then, or a snapshot taken then, reads the same). An
 * objective with no fact fields is answered as it is.
 */
export function foldedObjective<T extends JSONContent>(objective: T): T {
  if (!objective.content?.some((c) => TEXT_FACT_NODES.has(c.type ?? ''))) return objective;
  const facts = Object.fromEntries(OBJECTIVE_TEXT_FACTS.map((f) => [f.key, textFactOf(objective, f.key)]));
  return { ...objective, attrs: { ...objective.attrs, ...facts }, content: objective.content.filter((c) => !TEXT_FACT_NODES.has(c.type ?? '')) };
}

/**
 * An objective as the text holds it now: owners and indicators in their fields (moved there from
 * the attributes of a text stored before, which are emptied). Answered as it is when it has them.
 */
export function unfoldedObjective<T extends JSONContent>(objective: T): T {
  const missing = OBJECTIVE_TEXT_FACTS.filter((f) => !objective.content?.some((c) => c.type === f.node));
  if (missing.length === 0) return objective;
  const attrs = { ...objective.attrs };
  const added = missing.map((f) => {
    const value = typeof attrs[f.key] === 'string' ? (attrs[f.key] as string) : '';
    attrs[f.key] = '';
    return { type: f.node, ...(value ? { content: [{ type: 'text', text: value }] } : {}) };
  });
  return { ...objective, attrs, content: [...(objective.content ?? []), ...added] };
}

/** A document (or any node) with `change` made to each of its objectives. */
export function mapObjectives<T extends JSONContent>(node: T, change: (objective: JSONContent) => JSONContent): T {
  if (node.type === OBJECTIVE) return change(node) as T;
  if (!node.content || node.type === 'paragraph' || node.type === 'heading' || node.type === 'text') return node;
  let changed = false;
  const content = node.content.map((child) => {
    const next = mapObjectives(child, change);
    changed ||= next !== child;
    return next;
  });
  return changed ? { ...node, content } : node;
}
