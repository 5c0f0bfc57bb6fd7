import type { AnyExtension, Editor } from '@tiptap/core';
import { ReactNodeViewRenderer } from '@tiptap/react';
import { OBJECTIVE, Objective } from '#shared/objective';
import { ObjectiveView } from './ObjectiveView';
import './objectives.css';

const ObjectiveWithView = Objective.extend({
  addNodeView() {
    return ReactNodeViewRenderer(ObjectiveView);
  },
});

/** The shared extensions with the objective block drawn by its React view (same schema). */
export function withObjectiveViews(extensions: AnyExtension[]): AnyExtension[] {
  return extensions.map((e) => (e.name === OBJECTIVE ? ObjectiveWithView : e));
}

/** Inserts an empty shared objective where the cursor is. */
export function insertObjective(editor: Editor): void {
  editor.chain().focus().insertObjective().run();
}
