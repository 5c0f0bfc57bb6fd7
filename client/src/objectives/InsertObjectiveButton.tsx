import { useEffect, useState } from 'react';
import type { Editor } from '@tiptap/react';
import { insertObjective } from './objectiveEditor';

/** Puts a new objective block at the cursor; asks for a place first when the person has not put the cursor anywhere yet. */
export function InsertObjectiveButton({ editor }: { editor: Editor }) {
  // Until the person focuses the text, the cursor is at its very start: an objective there lands above the title.
  const [placed, setPlaced] = useState(() => editor.isFocused);
  const [asking, setAsking] = useState(false);

  useEffect(() => {
    const onFocus = () => {
      setPlaced(true);
      setAsking(false);
    };
    editor.on('focus', onFocus);
    return () => {
      editor.off('focus', onFocus);
    };
  }, [editor]);

  const insert = () => {
    if (!placed && !editor.isEmpty) setAsking(true);
    else insertObjective(editor);
  };
  return (
    <div className="insert-objective">
      <button type="button" className="button button--small" onMouseDown={(e) => e.preventDefault()} onClick={insert}>
        + Objective
      </button>
      <span className="insert-objective__hint" role="status" data-testid="insert-objective-hint">
        {asking ? 'Click in the text where the objective goes, then press + Objective again.' : ''}
      </span>
    </div>
  );
}
