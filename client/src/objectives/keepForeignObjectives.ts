import { Slice, type Node as PMNode } from '@tiptap/pm/model';
import { Selection, type EditorState, type Transaction } from '@tiptap/pm/state';
import { OBJECTIVE, OBJECTIVE_FIELDS } from '#shared/objective';
import { asFieldLines } from '../paste/intoObjectiveField';

type Range = [from: number, to: number];

/** The whole extent of each objective `allowed` refuses that lies (even partly) between `from` and `to`, in order. */
function protectedObjectives(doc: PMNode, from: number, to: number, allowed: (scope: unknown) => boolean): Range[] {
  const found: Range[] = [];
  doc.nodesBetween(from, to, (node, pos) => {
    if (node.type.name !== OBJECTIVE) return true;
    if (!allowed(node.attrs.scope)) found.push([pos, pos + node.nodeSize]);
    return false;
  });
  return found;
}

/** `[from, to]` less the protected ranges: the parts of a selection a person may change. */
function rangesOutside(from: number, to: number, kept: Range[]): Range[] {
  const free: Range[] = [];
  let at = from;
  for (const [start, end] of kept) {
    if (start > at) free.push([at, start]);
    at = Math.max(at, end);
  }
  if (to > at) free.push([at, to]);
  return free;
}

const TEXT_FIELDS = new Set<string>(OBJECTIVE_FIELDS.map((f) => f.node));

/** Where the objective around `pos` starts, or null outside one. */
function objectiveAround(doc: PMNode, pos: number): number | null {
  const $pos = doc.resolve(pos);
  for (let depth = $pos.depth; depth > 0; depth--) if ($pos.node(depth).type.name === OBJECTIVE) return $pos.before(depth);
  return null;
}

/** The words of the objective at `objective` that lie between `from` and `to`, field by field: its text fields only (its facts are typed in their own inputs). */
function wordsWithin(doc: PMNode, objective: number, from: number, to: number): Range[] {
  const words: Range[] = [];
  doc.nodeAt(objective)!.forEach((field, offset) => {
    const start = Math.max(from, objective + 1 + offset + 1);
    const end = Math.min(to, objective + 1 + offset + 1 + field.content.size);
    if (TEXT_FIELDS.has(field.type.name) && end > start) words.push([start, end]);
  });
  return words;
}

/**
 * `[from, to]` as parts deletable one by one without changing an objective's shape: a part that
 * runs into or out of an objective (one the person may write) is cut at its edge, and inside it
 * only words go, field by field. Deleted whole, the part took the objective's closing, and its
 * owners and indicators fields with it (the editor and the server refuse an objective without them).
 */
function shapeKeepingParts(doc: PMNode, from: number, to: number): Range[] {
  const starts = objectiveAround(doc, from);
  const ends = objectiveAround(doc, to);
  if (starts === ends) return [[from, to]];
  const head = starts === null ? [] : wordsWithin(doc, starts, from, to);
  const middleFrom = starts === null ? from : starts + doc.nodeAt(starts)!.nodeSize;
  const middleTo = ends === null ? to : ends;
  const tail = ends === null ? [] : wordsWithin(doc, ends, from, to);
  return [...head, ...(middleTo > middleFrom ? [[middleFrom, middleTo] as Range] : []), ...tail];
}

/** Whether a slice being put into the text holds an objective `allowed` refuses (a paste, a changed "whose objective"). */
export function holdsObjectiveRefused(slice: Slice, allowed: (scope: unknown) => boolean): boolean {
  let refused = false;
  slice.content.descendants((node) => {
    if (node.type.name === OBJECTIVE && !allowed(node.attrs.scope)) refused = true;
    return !refused;
  });
  return refused;
}

/**
 * For an edit refused because its selection held another party's own objective (Delete or
 * Backspace, Cut, typing or pasting over it): the same edit made to the rest of the selection
 * only, as one transaction (so one undo step), or null when the edit was of another kind.
 * What was typed or pasted goes in the first part the person may change. A drag and
 * drop is left refused whole: it moves the words elsewhere, and half a move loses or doubles them.
 */
export function editAroundForeignObjectives(state: EditorState, refused: Transaction, allowed: (scope: unknown) => boolean): Transaction | null {
  const { selection } = state;
  if (selection.empty || refused.before !== state.doc || refused.getMeta('uiEvent') === 'drop') return null;
  const { from, to, $from, $to } = selection;
  // The edit changed nothing but the blocks the selection spans (a join at its ends is a change there).
  const first = state.doc.content.findDiffStart(refused.doc.content);
  const last = state.doc.content.findDiffEnd(refused.doc.content);
  const lo = $from.depth > 0 ? $from.before(1) : from;
  const hi = $to.depth > 0 ? $to.after(1) : to;
  if (first === null || !last || first < lo || last.a > hi) return null;

  const kept = protectedObjectives(state.doc, from, to, allowed);
  const free = rangesOutside(from, to, kept);
  if (kept.length === 0 || free.length === 0) return null;
  // What the edit put in place of the selection: nothing for a deletion, the words for typing or a paste.
  const put = refused.doc.slice(refused.mapping.map(from, -1), refused.mapping.map(to, 1));
  if (holdsObjectiveRefused(put, allowed)) return null;

  const tr = state.tr;
  const parts = free.flatMap(([start, end]) => shapeKeepingParts(state.doc, start, end));
  for (const [start, end] of parts.reverse()) tr.delete(start, end);
  // Typed words replace the person's part: at its start, or, for a selection begun inside the objective, where their text resumes after it.
  const at = free[0][0] === from ? from : tr.mapping.map(free[0][1], -1);
  let caret = at;
  // Only words (or other inline content) are put back: a deletion's slice can hold the empty ends of the blocks it closed.
  let words = false;
  put.content.descendants((node) => !(words ||= node.isInline));
  if (words) {
    const steps = tr.steps.length;
    // Blocks put into an objective's field split the objective (and cut its facts): they come in as the field's lines, as a paste into a field does.
    const lines = TEXT_FIELDS.has(tr.doc.resolve(at).parent.type.name) ? asFieldLines(put) : null;
    tr.replace(at, at, lines ? new Slice(lines, 0, 0) : put);
    caret = tr.mapping.slice(steps).map(at, 1);
  }
  tr.setSelection(Selection.near(tr.doc.resolve(caret), -1)).scrollIntoView();
  const uiEvent = refused.getMeta('uiEvent');
  if (uiEvent) tr.setMeta('uiEvent', uiEvent);
  return tr;
}
