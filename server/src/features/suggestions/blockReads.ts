import * as Y from 'yjs';
import type { Node as PMNode, Schema } from '@tiptap/pm/model';
import { yXmlFragmentToProseMirrorFragment } from '@tiptap/y-tiptap';
import type { AnyType } from '#shared/anchors';

/**
 * Reads `fragment` as a ProseMirror document, each top-level block read anew only once something
 * inside it changed, as Tiptap's own binding keeps its mapping: reading 40 pages reworded for months
 * walks every deleted piece of every paragraph (200 to 260 ms on the event loop), and while people
 * type, every suggestion made, accepted or rejected read the whole text again for a word or two.
 * `fragment`'s doc must be one nobody else reads (a read drops nodes the schema rejects from it).
 */
export function blockReader(fragment: Y.XmlFragment, schema: Schema): () => PMNode {
  /** Each block's reading (null: the schema rejected it), until a change inside it. */
  const read = new WeakMap<AnyType, PMNode | null>();
  fragment.doc!.on('afterTransaction', (transaction: Y.Transaction) => {
    // A change inside a block names the block, or a type inside it, among the changed types.
    for (const type of transaction.changed.keys()) {
      const block = blockOf(type, fragment);
      if (block) read.delete(block);
    }
  });
  return () => {
    const blocks: PMNode[] = [];
    for (const block of fragment.toArray()) {
      let node = read.get(block);
      if (node === undefined) {
        // Tiptap's binding exports the reading of a whole fragment only: given one block, it reads that block.
        node = yXmlFragmentToProseMirrorFragment({ toArray: () => [block] } as unknown as Y.XmlFragment, schema).firstChild;
        read.set(block, node);
      }
      if (node) blocks.push(node);
    }
    return schema.topNodeType.create(null, blocks);
  };
}

/** The top-level block of `fragment` that holds `type` (or is it); none for the fragment itself or a type outside it. */
function blockOf(type: AnyType, fragment: Y.XmlFragment): AnyType | undefined {
  let at = type;
  while (at._item) {
    const parent = at._item.parent as AnyType;
    if (parent === fragment) return at;
    at = parent;
  }
  return undefined;
}
