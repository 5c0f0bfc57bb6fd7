import type { EditorState } from '@tiptap/pm/state';
import { crossesObjectiveEdge } from '../objectives/keepForeignObjectives';
import type { SuggestionsController } from './SuggestionsController';

/** Said when an edit over a selection out of an objective's field is not suggested. */
export const OBJECTIVE_EDGE_NOT_SUGGESTED =
  'Nothing was suggested: the selection runs out of an objective’s field, and a suggestion changes the words of one field or paragraph (or whole blocks). Suggest the change to each field and to the paragraph in turn.';

/**
 * Whether an edit at `state`'s selection is refused because it runs out of an objective's field; when it is, the
 * suggesting bar says so. One suggestion cannot keep the objective's shape there (its words in each field and the
 * paragraph's are separate passages).
 */
export function refusedAtObjectiveEdge(state: EditorState, controller: SuggestionsController): boolean {
  if (!crossesObjectiveEdge(state)) return false;
  // Not from inside the dispatch or the event that asked: the notice redraws the editor.
  queueMicrotask(() => controller.refuseChange(OBJECTIVE_EDGE_NOT_SUGGESTED));
  return true;
}
