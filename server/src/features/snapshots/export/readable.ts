import { OBJECTIVE, OBJECTIVE_FIELDS } from '#shared/objective';
import { OBJECTIVE_FACTS, factInWords, foldedObjective, type ObjectiveFactKey } from '#shared/objectiveFacts';
import { textOf } from '#shared/objectives';
import { shownHeadingLevel } from '#shared/schema';
import type { ChangeAuthor, FactChange, ProseMirrorJSON } from '#shared/snapshots';
import { stancesInWords } from './stances';
import { deliveryInWords } from './lifeCycle';
import type { ExportMeta } from './meta';

type Mark = NonNullable<ProseMirrorJSON['marks']>[number];

const text = (value: string, ...marks: Mark[]): ProseMirrorJSON => ({ type: 'text', text: value, ...(marks.length > 0 ? { marks } : {}) });
const bold: Mark = { type: 'bold' };
/** A diff's mark for a change by `author` (the same a changed run of text carries: computeDiff.ts). */
const changeMark = (kind: 'added' | 'removed', author: ChangeAuthor): Mark => ({ type: kind === 'added' ? 'insertion' : 'deletion', attrs: { ...author } });

/** A block a diff marks as added or removed whole (computeDiff.ts), or none. */
export function blockChangeOf(node: ProseMirrorJSON): { type: 'added' | 'removed'; author: ChangeAuthor } | null {
  const change = node.attrs?.blockChange as { type?: unknown; author?: ChangeAuthor } | null | undefined;
  return change && (change.type === 'added' || change.type === 'removed') && change.author ? { type: change.type, author: change.author } : null;
}

/** What a comparison knows beyond the marks in its text: the objective facts that changed (computeDiff.ts). */
export interface ReadableChanges {
  facts: FactChange[];
  /** Quick wins whose delivery changed between the versions, by objective id, in words (redlineLifeCycle.ts). */
  deliveries?: Record<string, string>;
}

/**
 * The document as a reader of an export needs it: each objective block becomes plain,
 * labelled paragraphs (its title, every fact in words, intent, band, trigger), so every
 * exporter renders it without knowing the block. A leading level-1 heading that repeats the
 * agreement's title is left out: the export states the title once. Headings are then lifted
 * so the highest is level 1 (exporters put the title above it, one level up). The fingerprint
 * is computed on the original content, never on this.
 *
 * In a comparison (`changes` given), what those lines are made of carries the change too: every
 * line of an objective added or removed whole is marked inserted or deleted by whoever did it
 * (its title and facts are no marked text of their own), and a changed fact reads as its old
 * value deleted and its new one inserted.
 *
 * With `recorded` (an export's meta), each objective also says where every party stood on it (its `stances`), and
 * a quick win whether it was delivered (its `deliveries`, when recorded).
 */
export function readableContent(
  doc: ProseMirrorJSON,
  parties: { id: string; name: string }[],
  agreementTitle?: string,
  changes?: ReadableChanges,
  recorded?: Pick<ExportMeta, 'stances' | 'deliveries'>,
): ProseMirrorJSON {
  const { stances, deliveries } = recorded ?? {};
  const lower = (block: ProseMirrorJSON): ProseMirrorJSON[] => {
    if (block.type !== OBJECTIVE) return [block.content ? { ...block, content: block.content.flatMap(lower) } : block];
    // Owners and indicators read as the facts they are, whether stored as fields or (before) as attributes.
    const node = foldedObjective(block);
    const attrs = (node.attrs ?? {}) as Record<string, unknown>;
    const whole = changes ? blockChangeOf(node) : null;
    const wholeMarks = whole ? [changeMark(whole.type, whole.author)] : [];
    const labelled = (label: string, value: ProseMirrorJSON[]): ProseMirrorJSON => ({
      type: 'paragraph',
      content: [text(`${label}:`, bold, ...wholeMarks), ...(value.length > 0 ? [text(' ', ...wholeMarks), ...value] : [text(' (empty)', ...wholeMarks)])],
    });
    const field = (key: string) => node.content?.find((c) => c.type === OBJECTIVE_FIELDS.find((f) => f.key === key)?.node)?.content ?? [];
    const factLine = (key: ObjectiveFactKey): ProseMirrorJSON[] => {
      const now = text(factInWords(key, attrs[key], parties), ...wholeMarks);
      const changed = whole ? undefined : changes?.facts.find((f) => f.objectiveId === attrs.id && f.fact === key);
      if (!changed) return [now];
      return [
        text(factInWords(key, changed.from, parties), changeMark('removed', changed.author)),
        text(factInWords(key, changed.to, parties), changeMark('added', changed.author)),
      ];
    };
    const titled = textOf({ type: 'x', content: field('title') }).trim();
    // A comparison keeps the title's runs: their marks say what of it was inserted or deleted.
    const titleLine =
      changes && titled
        ? [text('Objective: ', bold, ...wholeMarks), ...field('title').map((run) => ({ ...run, marks: [bold, ...(run.marks ?? [])] }))]
        : [text(`Objective: ${titled || 'Untitled objective'}`, bold, ...wholeMarks)];
    // A comparison states a delivery only where it changed between its versions, each as its own records say.
    const delivered = changes
      ? typeof attrs.id === 'string' && changes.deliveries && Object.hasOwn(changes.deliveries, attrs.id)
        ? changes.deliveries[attrs.id]
        : null
      : deliveries && deliveries !== 'unrecorded'
        ? deliveryInWords({ id: attrs.id, quickWin: attrs.quickWin }, deliveries, parties)
        : null;
    return [
      { type: 'paragraph', content: titleLine },
      // A quick win's delivery right under the fact that makes it one.
      ...OBJECTIVE_FACTS.flatMap((f) => [
        labelled(f.label, factLine(f.key)),
        ...(f.key === 'quickWin' && delivered ? [labelled('Delivered', [text(delivered, ...wholeMarks)])] : []),
      ]),
      ...(stances ? [labelled('Stances', [text(stancesInWords(node, stances, parties), ...wholeMarks)])] : []),
      ...OBJECTIVE_FIELDS.filter((f) => f.key !== 'title').map((f) => labelled(f.label, field(f.key))),
    ];
  };
  let blocks = doc.content ?? [];
  const first = blocks[0];
  if (agreementTitle !== undefined && first?.type === 'heading' && headingLevel(first) === 1 && textOf(first).trim() === agreementTitle.trim()) {
    blocks = blocks.slice(1);
  }
  return { ...doc, content: liftHeadings(blocks.flatMap(lower)) };
}

/** A heading's level as the editor shows it (1 to 6): text stored before levels were checked may hold any value. */
const headingLevel = (node: ProseMirrorJSON) => shownHeadingLevel(node.attrs?.level ?? 1);

/**
 * Raises every heading by the same number of levels so the highest one is level 1. With the
 * title heading dropped, a text of `##` sections would otherwise export as `###` right under
 * the title's `#`, a skipped level that Word's navigation and screen readers show as a gap.
 * Every heading leaves with a level of 1 to 6, whatever it held.
 */
function liftHeadings(blocks: ProseMirrorJSON[]): ProseMirrorJSON[] {
  const levels: number[] = [];
  let mended = false;
  const collect = (node: ProseMirrorJSON) => {
    if (node.type === 'heading') {
      levels.push(headingLevel(node));
      mended ||= node.attrs?.level !== headingLevel(node);
    }
    node.content?.forEach(collect);
  };
  blocks.forEach(collect);
  const lift = levels.length > 0 ? Math.min(...levels) - 1 : 0;
  if (lift === 0 && !mended) return blocks;
  const lifted = (node: ProseMirrorJSON): ProseMirrorJSON => {
    const content = node.content?.map(lifted);
    const attrs = node.type === 'heading' ? { ...node.attrs, level: headingLevel(node) - lift } : node.attrs;
    return { ...node, ...(attrs ? { attrs } : {}), ...(content ? { content } : {}) };
  };
  return blocks.map(lifted);
}
