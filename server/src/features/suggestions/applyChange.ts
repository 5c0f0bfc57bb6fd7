import type * as Y from 'yjs';
import type { Fragment, Node as PMNode } from '@tiptap/pm/model';
import { Transform } from '@tiptap/pm/transform';
import { updateYFragment } from '@tiptap/y-tiptap';
import { childTypes, contentFragment, type AnyType } from '#shared/anchors';

/**
 * Replaces the passage `from`..`to` of the live text by `content`. `pm` is the
 * ProseMirror copy of `doc` the positions refer to. Only the block that holds the passage
 * is rewritten (y-tiptap's updateYFragment keeps what is unchanged), so the change is as
 * small as an editor's would be. Run it inside a transaction whose origin credits the
 * suggester.
 */
export function applyChange(doc: Y.Doc, pm: PMNode, from: number, to: number, content: Fragment): void {
  const $from = pm.resolve(from);
  const changed = new Transform(pm).replaceWith(from, to, content).doc;
  // Walk down to the node that holds the passage, in the Yjs tree and in the changed document
  // alike: above it every node is a block container, whose children match one to one.
  let yType: AnyType = contentFragment(doc) as AnyType;
  let pNode = changed;
  for (let depth = 0; depth < $from.depth; depth++) {
    const index = $from.index(depth);
    const child = [...childTypes(yType)][index];
    if (!child) throw new Error('the text and its copy disagree');
    yType = child;
    pNode = pNode.child(index);
  }
  updateYFragment(doc, yType as Y.XmlFragment, pNode, { mapping: new Map(), isOMark: new Map() });
}
