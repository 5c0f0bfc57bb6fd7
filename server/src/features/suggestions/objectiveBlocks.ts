import type { Fragment, Node as PMNode } from '@tiptap/pm/model';
import { OBJECTIVE } from '#shared/objective';

/** An objective id that stance keys (`<objective>:<party>`) and routes (`/objectives/:objectiveId`) can carry. */
const OBJECTIVE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Why an objective's facts are not ones the agreement can hold, or null (attribute types are the update gate's check, done before). */
function factsProblem(attrs: Record<string, unknown>, partyIds: readonly string[]): string | null {
  if (typeof attrs.id !== 'string' || !OBJECTIVE_ID.test(attrs.id)) return 'an objective needs an id of letters, digits, - and _ (at most 64)';
  if (attrs.scope !== 'shared' && !partyIds.includes(attrs.scope as string)) return 'an objective is shared or the own objective of a party of the agreement';
  if (typeof attrs.quickWin !== 'boolean') return "an objective's quick win is true or false";
  if (typeof attrs.targetDate !== 'string' || (attrs.targetDate !== '' && !isDay(attrs.targetDate)))
    return "an objective's target date is a day (yyyy-mm-dd) or empty";
  if (typeof attrs.owners !== 'string' || typeof attrs.indicators !== 'string') return "an objective's owners and indicators are text";
  return null;
}

/** A calendar day written yyyy-mm-dd (2027-02-30 is none). */
function isDay(text: string): boolean {
  const time = ISO_DAY.test(text) ? Date.parse(`${text}T00:00:00Z`) : NaN;
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(text);
}

/** The ids of the objectives in `pm` outside `from`..`to`. */
function idsAround(pm: PMNode, from: number, to: number): Set<string> {
  const ids = new Set<string>();
  pm.descendants((node, pos) => {
    if (node.type.name !== OBJECTIVE) return !node.isTextblock;
    if (pos < from || pos >= to) ids.add(String(node.attrs.id));
    return false;
  });
  return ids;
}

/**
 * Why the objectives among suggested blocks cannot go in at `from`..`to` of `pm`, or null. Stances
 * are keyed by objective id, so no id may be one another objective of the text already has (an
 * objective replaced by a changed copy keeps its own); checked again on accepting, where an id
 * taken meanwhile makes the suggestion outdated.
 */
export function objectivesProblem(
  blocks: Fragment,
  { pm, from, to, partyIds }: { pm: PMNode; from: number; to: number; partyIds: readonly string[] },
): string | null {
  const suggested: PMNode[] = [];
  blocks.descendants((node) => {
    if (node.type.name === OBJECTIVE) suggested.push(node);
    return node.type.name !== OBJECTIVE && !node.isTextblock;
  });
  if (suggested.length === 0) return null;
  const taken = idsAround(pm, from, to);
  const seen = new Set<string>();
  for (const objective of suggested) {
    const problem = factsProblem(objective.attrs, partyIds);
    if (problem) return problem;
    const id = objective.attrs.id as string;
    if (taken.has(id) || seen.has(id)) return `the objective id ${id} is already taken: give the new objective an id of its own`;
    seen.add(id);
  }
  return null;
}
