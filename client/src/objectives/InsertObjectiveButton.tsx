import type { Editor } from '@tiptap/react';
import { insertObjective } from './objectiveEditor';

/** Puts a new objective block at the cursor. */
export function InsertObjectiveButton({ editor, editable }: { editor: Editor; editable: boolean }) {
  if (!editable) return null;
  return (
    <button type="button" className="button button--small insert-objective" onMouseDown={(e) => e.preventDefault()} onClick={() => insertObjective(editor)}>
      + Objective
    </button>
  );
}
