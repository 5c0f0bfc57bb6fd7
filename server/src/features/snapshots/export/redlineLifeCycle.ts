import { OBJECTIVE } from '#shared/objective';
import type { DiffResult, ProseMirrorJSON } from '#shared/snapshots';
import { deliveryInWords, isQuickWin, phaseInWords, type ExportLifeCycle } from './lifeCycle';
import { blockChangeOf } from './readable';

/** The life cycle of each version a redline compares, older first, each read from its own records (exportLifeCycle). */
export interface RedlineLifeCycle {
  from: ExportLifeCycle;
  to: ExportLifeCycle;
}

type Parties = { id: string; name: string }[];
type Objective = { id: unknown; quickWin: unknown };

const NOT_RECORDED = 'not recorded with this snapshot';
const NOT_QUICK_WIN = 'not a quick win';
const ABSENT = 'not in that version';
/** What no delivery reads as: a change between only these (an objective made a quick win, or added) is told by the text's own changes. */
const UNDELIVERED = new Set(['not yet', NOT_QUICK_WIN, ABSENT]);

/** The header's line for each side: "Phase of “Draft 2”: Managing and maintaining (since …)"; records that cannot tell say so. */
export function redlinePhaseLines(versions: Pick<DiffResult, 'from' | 'to'>, lifeCycle: RedlineLifeCycle): string[] {
  return (['from', 'to'] as const).map((side) => {
    const phase = lifeCycle[side].phase;
    return `Phase of “${versions[side].label}”: ${phase ? phaseInWords(phase) : NOT_RECORDED}`;
  });
}

/**
 * Each objective of a comparison whose delivery reads differently in its two versions, by id: "not yet → yes, marked
 * by Nia (WaterAid Kenya) on …". Each side says what its own export would (deliveryInWords), of the objective as it
 * stood in that version: the diff's text is the newer one, the older quick-win fact is its changed fact, and a block
 * added or removed whole is in one version only.
 */
export function deliveryChanges(diff: Pick<DiffResult, 'content' | 'facts'>, lifeCycle: RedlineLifeCycle, parties: Parties): Record<string, string> {
  const changes: Record<string, string> = {};
  const visit = (node: ProseMirrorJSON) => {
    node.content?.forEach(visit);
    if (node.type !== OBJECTIVE) return;
    const attrs = node.attrs ?? {};
    const id = attrs.id;
    if (typeof id !== 'string') return;
    const block = blockChangeOf(node)?.type;
    const fact = diff.facts.find((f) => f.objectiveId === id && f.fact === 'quickWin');
    const older = block === 'added' ? null : { id, quickWin: fact ? fact.from : attrs.quickWin };
    const newer = block === 'removed' ? null : { id, quickWin: attrs.quickWin };
    const from = sideWords(older, lifeCycle.from, parties);
    const to = sideWords(newer, lifeCycle.to, parties);
    if (from !== to && !(UNDELIVERED.has(from) && UNDELIVERED.has(to))) changes[id] = `${from} → ${to}`;
  };
  visit(diff.content);
  return changes;
}

/** An objective's delivery in one version, in words; null: the objective is not in that version. */
function sideWords(objective: Objective | null, side: ExportLifeCycle, parties: Parties): string {
  if (!objective) return ABSENT;
  if (!isQuickWin(objective)) return NOT_QUICK_WIN;
  // Records that cannot tell (a snapshot kept before deliveries were, or before its records were) say so: never "not yet".
  if (!side.deliveries || side.deliveries === 'unrecorded') return NOT_RECORDED;
  return deliveryInWords(objective, side.deliveries, parties) ?? NOT_QUICK_WIN;
}
