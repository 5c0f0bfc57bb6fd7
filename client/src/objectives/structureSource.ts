import type { JSONContent } from '@tiptap/core';
import type { Schema } from '@tiptap/pm/model';
import { yXmlFragmentToProseMirrorFragment } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';
import { OBJECTIVE } from '#shared/objective';
import { textOf } from '#shared/objectives';
import { TEMPLATE_PROMPTS } from '#shared/template';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any Yjs type of the tree
type AnyType = Y.AbstractType<any>;

/** What the structure panels read of one top-level block; a paragraph's words are not part of it. */
function blockSignature(block: JSONContent): string {
  if (block.type === 'heading' || block.type === OBJECTIVE || JSON.stringify(block).includes(`"type":"${OBJECTIVE}"`)) return JSON.stringify(block);
  const text = textOf(block).trim();
  // The completeness check only asks whether a section has text other than the template's prompt.
  return `${block.type}:${text !== '' && !TEMPLATE_PROMPTS.has(text) ? 'text' : 'none'}`;
}

/**
 * The agreement text as ProseMirror JSON for the side panels (outline, completeness, standing),
 * read incrementally: each top-level block is converted once and again only after an edit
 * touched it, with the same converter and schema as a whole read (so objective hashes agree
 * with the server's). `read` also says whether anything the panels show changed, so typing in
 * a paragraph re-renders no panel.
 */
export class StructureSource {
  private readonly blocks = new WeakMap<AnyType, JSONContent | null>();
  private readonly signatures = new WeakMap<JSONContent, string>();
  private signature: string | null = null;
  /** Blocks converted so far (tests check that an edit converts only its own block). */
  conversions = 0;

  constructor(
    private readonly fragment: Y.XmlFragment,
    private readonly schema: Schema,
  ) {}

  /** Forgets the top-level blocks an edit touched (pass `observeDeep`'s events). */
  invalidate(events: Y.YEvent<AnyType>[]): void {
    for (const event of events) {
      let type: AnyType = event.target;
      while (type._item && type._item.parent !== (this.fragment as AnyType) && type._item.parent) type = type._item.parent as AnyType;
      if (type !== (this.fragment as AnyType)) this.blocks.delete(type);
    }
  }

  /** The whole text as JSON, and whether what the panels read of it changed since the last read. */
  read(): { doc: JSONContent; changed: boolean } {
    const content: JSONContent[] = [];
    for (const type of this.fragment.toArray() as AnyType[]) {
      let block = this.blocks.get(type);
      if (block === undefined) {
        block = this.convert(type);
        this.blocks.set(type, block);
      }
      if (block) content.push(block);
    }
    const signature = content.map((block) => this.signatureOf(block)).join('\n');
    const changed = signature !== this.signature;
    this.signature = signature;
    return { doc: content.length > 0 ? { type: 'doc', content } : { type: 'doc' }, changed };
  }

  private convert(type: AnyType): JSONContent | null {
    this.conversions++;
    // The whole-text converter, given a fragment of this one block.
    const one = { toArray: () => [type] } as unknown as Y.XmlFragment;
    const fragment = yXmlFragmentToProseMirrorFragment(one, this.schema);
    return fragment.childCount > 0 ? (fragment.child(0).toJSON() as JSONContent) : null;
  }

  private signatureOf(block: JSONContent): string {
    let signature = this.signatures.get(block);
    if (signature === undefined) {
      signature = blockSignature(block);
      this.signatures.set(block, signature);
    }
    return signature;
  }
}
