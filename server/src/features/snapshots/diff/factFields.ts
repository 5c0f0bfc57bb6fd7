import * as Y from 'yjs';
import { OBJECTIVE_TEXT_FACTS, type ObjectiveTextFactKey } from '#shared/objective';
import type { ChangeAuthor } from '#shared/snapshots';
import { isVisible } from './rewrittenBlocks';

type Snapshot = ReturnType<typeof Y.createSnapshot>;

/**
 * An objective's owners and indicators in a comparison. They are fields holding text now, and
 * were attributes in texts stored before: a comparison reads them as the facts they are, whole,
 * in either shape, as each version had them (computeDiff.ts lists a changed one with its others).
 */

/** An objective's owners and indicators fields, by element name. */
export const FACT_FIELDS = new Map<string, ObjectiveTextFactKey>(OBJECTIVE_TEXT_FACTS.map((f) => [f.node, f.key]));

/** The first child type of `parent` visible in `snapshot` (any, without one) that `is` accepts: deleted ones too, which `toArray` leaves out. */
function childAt<T>(parent: Y.XmlElement, snapshot: Snapshot | undefined, is: (type: unknown) => type is T): T | null {
  for (let item = parent._start; item !== null; item = item.right) {
    if (!(item.content instanceof Y.ContentType) || !is(item.content.type)) continue;
    if (snapshot ? isVisible(item, snapshot) : !item.deleted) return item.content.type;
  }
  return null;
}

const isText = (type: unknown): type is Y.XmlText => type instanceof Y.XmlText;

/** The text of an objective's owners or indicators field now (null: it has none). */
function factText(el: Y.XmlElement, key: string): Y.XmlText | null {
  const node = OBJECTIVE_TEXT_FACTS.find((f) => f.key === key)?.node;
  const field = node ? childAt(el, undefined, (type): type is Y.XmlElement => type instanceof Y.XmlElement && type.nodeName === node) : null;
  return field ? childAt(field, undefined, isText) : null;
}

/**
 * An objective's owners and indicators as they stood in `snapshot`: their fields' text where the
 * objective had the field then, else (a text stored before they were fields) nothing, leaving the attribute.
 */
export function textFactsAt(el: Y.XmlElement, snapshot: Snapshot): Record<string, string> {
  const facts: Record<string, string> = {};
  for (const [node, key] of FACT_FIELDS) {
    const field = childAt(el, snapshot, (type): type is Y.XmlElement => type instanceof Y.XmlElement && type.nodeName === node);
    if (!field) continue;
    const text = childAt(field, snapshot, isText);
    facts[key] = text
      ? (text.toDelta(snapshot) as { insert: unknown }[]).map((op: { insert: unknown }) => (typeof op.insert === 'string' ? op.insert : '')).join('')
      : '';
  }
  return facts;
}

/** Whoever typed (or deleted) the first characters of an owners or indicators field that changed between the versions, or null. */
export function textFactAuthor(
  el: Y.XmlElement,
  key: string,
  from: Snapshot,
  to: Snapshot,
  authorOf: (kind: 'added' | 'removed', id: Y.ID) => ChangeAuthor,
): ChangeAuthor | null {
  const text = factText(el, key);
  for (let item = text?._start ?? null; item !== null; item = item.right) {
    if (!(item.content instanceof Y.ContentString)) continue;
    const [before, after] = [isVisible(item, from), isVisible(item, to)];
    if (before !== after) return authorOf(after ? 'added' : 'removed', item.id);
  }
  return null;
}
