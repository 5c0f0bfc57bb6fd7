import type { AnyExtension, Editor, Node } from '@tiptap/core';
import { ReactNodeViewRenderer } from '@tiptap/react';
import { OBJECTIVE, OBJECTIVE_TEXT_FACTS, Objective } from '#shared/objective';
import { ObjectiveView } from './ObjectiveView';
import './objectives.css';

const ObjectiveWithView = Objective.extend({
  addNodeView() {
    return ReactNodeViewRenderer(ObjectiveView);
  },
});

const FACT_FIELDS = new Set<string>(OBJECTIVE_TEXT_FACTS.map((f) => f.node));

/**
 * An objective's owners and indicators fields are typed in the block's inputs (ObjectiveView), not
 * in the text: drawn as nothing, without a place for the caret, so arrow keys and Enter pass them by.
 */
function hiddenField(extension: AnyExtension): AnyExtension {
  return (extension as Node).extend({
    addNodeView() {
      return () => {
        const dom = document.createElement('div');
        dom.hidden = true;
        dom.contentEditable = 'false';
        return { dom, ignoreMutation: () => true };
      };
    },
  });
}

/** The shared extensions with the objective block drawn by its React view (same schema). */
export function withObjectiveViews(extensions: AnyExtension[]): AnyExtension[] {
  return extensions.map((e) => (e.name === OBJECTIVE ? ObjectiveWithView : FACT_FIELDS.has(e.name) ? hiddenField(e) : e));
}

/** Inserts an empty shared objective where the cursor is. */
export function insertObjective(editor: Editor): void {
  editor.chain().focus().insertObjective().run();
}
