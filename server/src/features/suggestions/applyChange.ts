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
  const changed = new Transform(pm).replaceWith(from, to, content).doc;
  applyChanged(doc, pm, changed, from, pm.resolve(from).depth);
}

/** Makes the live text read as `changed` (`pm` changed under the node at `depth` around `from`), rewriting that node alone. */
export function applyChanged(doc: Y.Doc, pm: PMNode, changed: PMNode, from: number, depth: number): void {
  const $from = pm.resolve(from);
  // Walk down to the node that holds the change, in the Yjs tree and in the changed document
  // alike: above it every node is a block container, whose children match one to one.
  let yType: AnyType = contentFragment(doc) as AnyType;
  let pNode = changed;
  for (let d = 0; d < depth; d++) {
    const index = $from.index(d);
    const child = [...childTypes(yType)][index];
    if (!child) throw new Error('the text and its copy disagree');
    yType = child;
    pNode = pNode.child(index);
  }
  updateYFragment(doc, yType as Y.XmlFragment, pNode, { mapping: new Map(), isOMark: new Map() });
}
