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
/** A text read block by block: `read` the whole of it now; `readAhead` every block not read yet, a few milliseconds at a time. */
export interface BlockReader {
  read(): PMNode;
  readAhead(): Promise<void>;
}

/** Longest stretch of reading ahead between two yields to the event loop. */
const SLICE_MS = 10;

export function blockReader(fragment: Y.XmlFragment, schema: Schema): BlockReader {
  /** Each block's reading (null: the schema rejected it), until a change inside it. */
  const read = new WeakMap<AnyType, PMNode | null>();
  fragment.doc!.on('afterTransaction', (transaction: Y.Transaction) => {
    // A change inside a block names the block, or a type inside it, among the changed types.
    for (const type of transaction.changed.keys()) {
      const block = blockOf(type, fragment);
      if (block) read.delete(block);
    }
  });
  const readingOf = (block: AnyType): PMNode | null => {
    let node = read.get(block);
    if (node === undefined) {
      // Tiptap's binding exports the reading of a whole fragment only: given one block, it reads that block.
      node = yXmlFragmentToProseMirrorFragment({ toArray: () => [block] } as unknown as Y.XmlFragment, schema).firstChild;
      read.set(block, node);
    }
    return node;
  };
  return {
    read() {
      const blocks: PMNode[] = [];
      for (const block of fragment.toArray()) {
        const node = readingOf(block);
        if (node) blocks.push(node);
      }
      return schema.topNodeType.create(null, blocks);
    },
    async readAhead() {
      let sliceStart = performance.now();
      // The blocks as they are now; one changed or added meanwhile is read when next asked for.
      for (const block of fragment.toArray()) {
        if (performance.now() - sliceStart >= SLICE_MS) {
          await new Promise((resolve) => setImmediate(resolve));
          sliceStart = performance.now();
        }
        // Deleted meanwhile (a change while this waited): nobody will ask for it.
        if (!block._item?.deleted) readingOf(block);
      }
    },
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
