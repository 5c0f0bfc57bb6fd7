import type { Fragment, Node as PMNode } from '@tiptap/pm/model';
import { isCalendarDay } from '#shared/dayInWords';
import { OBJECTIVE, OBJECTIVE_ID, OBJECTIVE_TEXT_FACTS } from '#shared/objective';

/** Why an objective's facts are not ones the agreement can hold, or null (attribute types are the update gate's check, done before). */
function factsProblem(attrs: Record<string, unknown>, partyIds: readonly string[]): string | null {
  if (typeof attrs.id !== 'string' || !OBJECTIVE_ID.test(attrs.id)) return 'an objective needs an id of letters, digits, - and _ (at most 64)';
  if (attrs.scope !== 'shared' && !partyIds.includes(attrs.scope as string)) return 'an objective is shared or the own objective of a party of the agreement';
  if (typeof attrs.quickWin !== 'boolean') return "an objective's quick win is true or false";
  if (typeof attrs.targetDate !== 'string' || (attrs.targetDate !== '' && !isCalendarDay(attrs.targetDate)))
    return "an objective's target date is a day (yyyy-mm-dd) or empty";
  if (typeof attrs.owners !== 'string' || typeof attrs.indicators !== 'string') return "an objective's owners and indicators are text";
  return null;
}

/** Why an objective's owners and indicators fields are not as every write to the text must leave them (the update gate's check), or null. */
function factFieldsProblem(objective: PMNode, maxChars: number): string | null {
  for (const fact of OBJECTIVE_TEXT_FACTS) {
    let field: PMNode | undefined;
    objective.forEach((child) => {
      if (child.type.name === fact.node) field = child;
    });
    if (!field) return `an objective holds its ${fact.key} field (${fact.node})`;
    if (field.textContent.length > maxChars) return `an objective's ${fact.key} hold at most ${maxChars} characters`;
  }
  return null;
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
  maxFactChars: number,
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
    const problem = factsProblem(objective.attrs, partyIds) ?? factFieldsProblem(objective, maxFactChars);
    if (problem) return problem;
    const id = objective.attrs.id as string;
    if (taken.has(id) || seen.has(id)) return `the objective id ${id} is already taken: give the new objective an id of its own`;
    seen.add(id);
  }
  return null;
}
