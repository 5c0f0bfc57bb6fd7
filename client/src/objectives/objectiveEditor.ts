import type { AnyExtension, Editor, NodeViewRendererProps } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { ReactNodeViewRenderer } from '@tiptap/react';
import { OBJECTIVE, Objective } from '#shared/objective';
import { afterNextFrame } from '../ui/afterNextFrame';
import { ObjectiveView } from './ObjectiveView';
import './objectives.css';

/** The same attributes (a remote change brings an equal copy). */
function sameAttrs(a: PMNode, b: PMNode): boolean {
  if (a.attrs === b.attrs) return true;
  const keys = Object.keys(a.attrs);
  return keys.length === Object.keys(b.attrs).length && keys.every((k) => a.attrs[k] === b.attrs[k]);
}

const ObjectiveWithView = Objective.extend({
  addNodeView() {
    return (props: NodeViewRendererProps) => {
      /** Cancels this view's render that waits for the end of the frame. */
      let waiting: (() => void) | null = null;
      return ReactNodeViewRenderer(ObjectiveView, {
        // ProseMirror draws the objective's text itself; the React view shows its attributes and the
        // stances, whose hash follows the text. A keystroke in the text renders the view after the
        // frame that shows the keystroke, not inside its task; a change of attributes renders at once.
        update: ({ oldNode, newNode, updateProps }) => {
          waiting?.();
          waiting = null;
          if (sameAttrs(oldNode, newNode))
            waiting = afterNextFrame(() => {
              waiting = null;
              updateProps();
            });
          else updateProps();
          return true;
        },
      })(props);
    };
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
