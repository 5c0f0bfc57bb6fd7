import { INITIAL_PHASE, PHASE_LABELS, isPhase, type Phase, type PhaseChange } from '#shared/phases';
import type { QuickWinDelivery } from '#shared/quickWinDelivery';
import type { Author } from '#shared/records';
import { OBJECTIVE } from '#shared/objective';
import type { ProseMirrorJSON, SnapshotContext } from '#shared/snapshots';
import { readableMoment } from './moment';

/** The life-cycle phase an export states, and since when (absent when the records cannot tell). */
export interface ExportPhase {
  phase: Phase;
  since?: string;
}

/** A quick win's delivery as an export states it: who marked it and when, without their person id. */
export interface ExportDelivery {
  by: Pick<Author, 'name' | 'role' | 'party'>;
  at: string;
}

/** What an export states of its moment's life cycle (exportLifeCycle): nothing of either when its records cannot tell. */
export interface ExportLifeCycle {
  phase?: ExportPhase;
  deliveries?: ExportDeliveries;
}

/** Each delivered quick win by objective id; `'unrecorded'`: a snapshot kept before snapshots recorded deliveries. */
export type ExportDeliveries = Record<string, ExportDelivery> | 'unrecorded';

/**
 * The phase and the deliveries of an export's moment, read from that moment's records (`context`: a snapshot's, or
 * the records now for the live text). A snapshot kept before its context named when the phase began takes that from
 * the phase log, which is appended to and never erased; one kept before it recorded deliveries says they were not
 * recorded: today's deliveries under the snapshot's date would read as done then. A snapshot with no context at all
 * states neither, as it states no stances.
 */
export async function exportLifeCycle(
  context: SnapshotContext | undefined,
  moment: { at: string; agreementCreatedAt: string; phaseLog: () => Promise<PhaseChange[]> },
): Promise<ExportLifeCycle> {
  if (!context) return {};
  // A phase never set is the first one, as every page shows it.
  const phase = context.phase ?? INITIAL_PHASE;
  const deliveries = context.quickWinDeliveries ? exportDeliveries(context.quickWinDeliveries) : ('unrecorded' as const);
  if (!isPhase(phase)) return { deliveries };
  const since =
    context.phaseSince !== undefined
      ? (context.phaseSince ?? moment.agreementCreatedAt)
      : phaseSinceFromLog(phase, await moment.phaseLog(), moment.at, moment.agreementCreatedAt);
  return { phase: { phase, ...(since ? { since } : {}) }, deliveries };
}

/** When the phase in force at `at` began by the log: the last change before it, if it is to that phase; none, the agreement's start. */
function phaseSinceFromLog(phase: Phase, log: PhaseChange[], at: string, agreementCreatedAt: string): string | undefined {
  const last = log.filter((change) => change.at <= at).at(-1);
  if (!last) return phase === INITIAL_PHASE ? agreementCreatedAt : undefined;
  return last.phase === phase ? last.at : undefined;
}

/** The records' `quickWinDeliveries` map (as JSON), each checked for shape. */
function exportDeliveries(map: Record<string, unknown>): Record<string, ExportDelivery> {
  return Object.fromEntries(
    Object.entries(map).flatMap(([id, value]): [string, ExportDelivery][] => {
      const d = (value ?? {}) as Partial<QuickWinDelivery>;
      if (typeof d.at !== 'string' || typeof d.by?.name !== 'string') return [];
      const { name, role, party } = d.by;
      return [[id, { by: { name, role, ...(typeof party === 'string' ? { party } : {}) }, at: d.at }]];
    }),
  );
}

/** The header's phase line: "Phase: Managing and maintaining (since 3 March 2026, 10:00:00 UTC)". */
export function phaseLine(phase: ExportPhase): string {
  return `Phase: ${phaseInWords(phase)}`;
}

/** "Managing and maintaining (since 3 March 2026, 10:00:00 UTC)". */
export function phaseInWords(phase: ExportPhase): string {
  return `${PHASE_LABELS[phase.phase]}${phase.since ? ` (since ${readableMoment(phase.since)})` : ''}`;
}

/** What the header says of a snapshot kept before deliveries were: no objective then says "not yet" by mistake. */
export const UNRECORDED_DELIVERIES = 'Quick win deliveries: not recorded with this snapshot (it was taken before snapshots kept them)';

/**
 * The deliveries an export of `content` states: "not recorded" only when the text holds a quick win, as there is
 * nothing unrecorded otherwise. Decided where the text is read and kept in the proof's meta, so the fingerprint
 * checker renders the header from the same decision, and a file exported before (whatever its meta says) as it was.
 */
export function statedDeliveries<Meta extends { deliveries?: ExportDeliveries }>(meta: Meta, content: ProseMirrorJSON): Meta {
  if (meta.deliveries !== 'unrecorded' || holdsQuickWin(content)) return meta;
  const { deliveries: _unrecorded, ...rest } = meta;
  return rest as Meta;
}

/** Whether any objective of a text is a quick win. */
export function holdsQuickWin(node: ProseMirrorJSON): boolean {
  return (node.type === OBJECTIVE && isQuickWin(node.attrs ?? {})) || (node.content ?? []).some(holdsQuickWin);
}

/** A quick win as the live page counts one (shownDelivery): an objective with an id whose quick-win fact is set. */
export function isQuickWin(objective: { id?: unknown; quickWin?: unknown }): objective is { id: string } {
  return typeof objective.id === 'string' && (objective.quickWin === true || objective.quickWin === 'true');
}

/**
 * Whether an objective of the exported text was delivered then, in words, or null when it is no quick win there.
 */
export function deliveryInWords(
  objective: { id: unknown; quickWin: unknown },
  deliveries: Record<string, ExportDelivery>,
  parties: { id: string; name: string }[],
): string | null {
  // Only while it is a quick win in this text, as on the live page (shownDelivery): a record of one that stopped being one stays unseen.
  if (!isQuickWin(objective)) return null;
  const delivery = Object.hasOwn(deliveries, objective.id) ? deliveries[objective.id] : undefined;
  if (!delivery) return 'not yet';
  const party = parties.find((p) => p.id === delivery.by.party)?.name ?? delivery.by.role;
  return `yes, marked by ${delivery.by.name}${party ? ` (${party})` : ''} on ${readableMoment(delivery.at)}`;
}
