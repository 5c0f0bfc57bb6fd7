import { Fragment, Slice, type Node as PMNode } from '@tiptap/pm/model';
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

/** Whether `slice` holds a whole objective (not a piece cut at its open ends) `allowed` refuses: a pasted one. */
function holdsWholeObjectiveRefused(slice: Slice, allowed: (scope: unknown) => boolean): boolean {
  const cut = new Set<PMNode>();
  for (let node = slice.content.firstChild, d = 0; node && d < slice.openStart; node = node.firstChild, d++) cut.add(node);
  for (let node = slice.content.lastChild, d = 0; node && d < slice.openEnd; node = node.lastChild, d++) cut.add(node);
  let refused = false;
  slice.content.descendants((node) => {
    if (node.type.name === OBJECTIVE && !cut.has(node) && !allowed(node.attrs.scope)) refused = true;
    return !refused;
  });
  return refused;
}

/** Whether `slice` holds any of an objective, a piece of one included. */
function holdsObjectivePart(slice: Slice): boolean {
  let found = false;
  slice.content.descendants((node) => !(found ||= node.type.name === OBJECTIVE));
  return found;
}

/** The words of `slice`, each of its text blocks (an objective's field too) as a paragraph. */
function asParagraphs(slice: Slice): Slice {
  const paragraphs: PMNode[] = [];
  slice.content.descendants((node) => {
    if (node.isTextblock && node.content.size > 0) paragraphs.push(node.type.schema.nodes.paragraph.create(null, node.content));
    return !node.isTextblock;
  });
  return new Slice(Fragment.from(paragraphs), 1, 1);
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

/** Set on an edit remade to keep objectives' shape: no guard remakes it again (a remade edit refused again is refused whole). */
export const SHAPE_KEPT = 'objectiveShapeKept';

/**
 * Whether a selection runs out of an objective (or into one): its ends lie in different objectives,
 * or one in an objective and one outside. Replaced as ProseMirror replaces it, its far end's words
 * join the field (or the field's words join the paragraph) and the objective loses fields.
 */
export function crossesObjectiveEdge(state: EditorState): boolean {
  const { selection, doc } = state;
  return !selection.empty && objectiveAround(doc, selection.from) !== objectiveAround(doc, selection.to);
}

/**
 * The edit `refused` made to the selection (Delete or Backspace, Cut, typing or pasting over it),
 * remade as one transaction (so one undo step) that leaves the ranges `kept` as they are and changes
 * no objective's shape: in an objective the selection runs into or out of, only words go, field by
 * field. What was typed or pasted goes in the first part the person may change. Null when the edit
 * was of another kind, or put an objective `allowed` refuses into the text. A drag and drop is
 * left as it is: it moves the words elsewhere, and half a move loses or doubles them.
 */
export function editKeepingObjectiveShape(state: EditorState, refused: Transaction, kept: Range[], allowed: (scope: unknown) => boolean): Transaction | null {
  const { selection } = state;
  if (selection.empty || refused.before !== state.doc || refused.getMeta('uiEvent') === 'drop') return null;
  const { from, to, $from, $to } = selection;
  // The edit changed nothing but the blocks the selection spans (a join at its ends is a change there).
  const first = state.doc.content.findDiffStart(refused.doc.content);
  const last = state.doc.content.findDiffEnd(refused.doc.content);
  const lo = $from.depth > 0 ? $from.before(1) : from;
  const hi = $to.depth > 0 ? $to.after(1) : to;
  if (first === null || !last || first < lo || last.a > hi) return null;

  const free = rangesOutside(from, to, kept);
  if (free.length === 0) return null;
  // What the edit put in place of the selection: nothing for a deletion, the words for typing or a paste.
  const made = refused.doc.slice(refused.mapping.map(from, -1), refused.mapping.map(to, 1));
  if (holdsWholeObjectiveRefused(made, allowed)) return null;
  // Pasted paragraphs that ProseMirror fitted into the objective's fields are put back as plain paragraphs (or lines, below).
  const put = holdsObjectivePart(made) ? asParagraphs(made) : made;

  const tr = state.tr;
  const parts = free.flatMap(([start, end]) => shapeKeepingParts(state.doc, start, end));
  for (const [start, end] of parts.reverse()) tr.delete(start, end);
  // Typed words replace the person's part: at its start, or, for a selection begun inside a kept objective, where their text resumes after it.
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
  for (const meta of ['uiEvent', 'paste']) if (refused.getMeta(meta) !== undefined) tr.setMeta(meta, refused.getMeta(meta));
  return tr.setMeta(SHAPE_KEPT, true);
}

/**
 * For an edit refused because its selection held another party's own objective: the same edit made
 * to the rest of the selection only (see `editKeepingObjectiveShape`), or null when there is no such
 * objective in the selection, or the edit cannot be remade.
 */
export function editAroundForeignObjectives(state: EditorState, refused: Transaction, allowed: (scope: unknown) => boolean): Transaction | null {
  const kept = state.selection.empty ? [] : protectedObjectives(state.doc, state.selection.from, state.selection.to, allowed);
  return kept.length === 0 ? null : editKeepingObjectiveShape(state, refused, kept, allowed);
}
