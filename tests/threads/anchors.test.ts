import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { prosemirrorJSONToYXmlFragment, updateYFragment, yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import { anchorAt, contentFragment, decodePosition, isAnchorKnown, relativePositionAt, resolveAnchor, resolvePosition, textBetween } from '#shared/anchors';
import { repairAnchor } from '#shared/anchorRepair';
import type { ThreadAnchor } from '#shared/threads';
import { documentSchema } from '#shared/schema';

const schema = documentSchema();

/** A document with headings, marks, a list, a hard break and a rule: every kind of boundary. */
const DOC = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: 'Partnership' }] },
    {
      type: 'paragraph',
      content: [
        { type: 'text', text: 'The parties ' },
        { type: 'text', text: 'agree', marks: [{ type: 'bold' }] },
        { type: 'text', text: ' to restore the river.' },
        { type: 'hardBreak' },
        { type: 'text', text: 'Second line.' },
      ],
    },
    { type: 'paragraph' },
    {
      type: 'bulletList',
      content: [
        { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Clean water' }] }] },
        { type: 'listItem', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Schools' }] }] },
      ],
    },
    { type: 'horizontalRule' },
    { type: 'paragraph', content: [{ type: 'text', text: 'Signed.' }] },
  ],
};

function makeDoc(): Y.Doc {
  const doc = new Y.Doc();
  prosemirrorJSONToYXmlFragment(schema, DOC, contentFragment(doc));
  return doc;
}

function pmDoc(doc: Y.Doc) {
  return yXmlFragmentToProseMirrorRootNode(contentFragment(doc), schema);
}

describe('anchors', () => {
  it('round-trips every text position of the document as ProseMirror counts it', () => {
    const doc = makeDoc();
    const fragment = contentFragment(doc);
    const node = pmDoc(doc);
    let checked = 0;
    for (let pos = 0; pos <= node.content.size; pos++) {
      if (!node.resolve(pos).parent.isTextblock) continue;
      for (const assoc of [0, -1]) {
        const encoded = Buffer.from(Y.encodeRelativePosition(relativePositionAt(fragment, pos, assoc))).toString('base64');
        expect(resolvePosition(doc, fragment, encoded), `pos ${pos} assoc ${assoc}`).toBe(pos);
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(50);
  });

  it('reads the same text between two positions as ProseMirror', () => {
    const doc = makeDoc();
    const fragment = contentFragment(doc);
    const node = pmDoc(doc);
    const size = node.content.size;
    for (const [from, to] of [
      [1, 12],
      [14, 40],
      [5, size - 3],
      [0, size],
    ]) {
      const leafText = (leaf: { type: { name: string } }) => (leaf.type.name === 'hardBreak' ? '\n' : '');
      expect(textBetween(fragment, from, to)).toBe(node.textBetween(from, to, '\n', leafText).trim());
    }
  });

  it('follows the passage through edits before, inside and after it, and reports it detached once deleted', () => {
    const doc = makeDoc();
    const fragment = contentFragment(doc);
    // The second block starts at 13 ('Partnership' is 11 characters plus two tags); its text at 14.
    const from = 14 + 'The parties agree to '.length;
    const anchor = anchorAt(fragment, from, from + 'restore the river'.length);
    const quote = () => {
      const r = resolveAnchor(doc, fragment, anchor)!;
      return r.detached ? null : textBetween(fragment, r.from, r.to);
    };
    expect(quote()).toBe('restore the river');

    const line = textsOf(fragment).find((t) => plain(t).includes('restore'))!;
    line.insert(0, 'Both of ');
    expect(quote()).toBe('restore the river');
    line.insert(plain(line).indexOf('the river'), 'and protect ');
    expect(quote()).toBe('restore and protect the river');
    // Text typed right at either edge stays outside the passage.
    line.insert(plain(line).indexOf(' river') + ' river'.length, ' basin');
    line.insert(plain(line).indexOf('restore'), 'fully ');
    expect(quote()).toBe('restore and protect the river');
    expect(textBetween(fragment, 0, pmDoc(doc).content.size)).toContain('fully restore and protect the river basin');

    line.delete(plain(line).indexOf('restore'), 'restore and protect the river'.length);
    expect(resolveAnchor(doc, fragment, anchor)?.detached).toBe(true);
    // Typing where the passage was does not bring it back.
    line.insert(plain(line).indexOf(' basin'), 'clean up the lake');
    expect(resolveAnchor(doc, fragment, anchor)?.detached).toBe(true);
  });

  it('reports a passage whose whole paragraph was deleted as detached', () => {
    const doc = makeDoc();
    const fragment = contentFragment(doc);
    const anchor = anchorAt(fragment, 1, 1 + 'Partnership'.length);
    expect(resolveAnchor(doc, fragment, anchor)?.detached).toBe(false);
    fragment.delete(0, 1);
    expect(resolveAnchor(doc, fragment, anchor)?.detached).toBe(true);
  });

  it('tells text not received yet from text deleted', () => {
    const doc = makeDoc();
    const anchor = anchorAt(contentFragment(doc), 1, 5);
    const late = new Y.Doc();
    expect(isAnchorKnown(late, anchor)).toBe(false);
    Y.applyUpdate(late, Y.encodeStateAsUpdate(doc));
    expect(isAnchorKnown(late, anchor)).toBe(true);
    expect(resolveAnchor(late, contentFragment(late), anchor)).toEqual({ from: 1, to: 5, detached: false });
    contentFragment(doc).delete(0, 1);
    Y.applyUpdate(late, Y.encodeStateAsUpdate(doc));
    expect(isAnchorKnown(late, anchor)).toBe(true);
    expect(resolveAnchor(late, contentFragment(late), anchor)?.detached).toBe(true);
  });

  it('refuses what is not a position', () => {
    expect(decodePosition('not base64!')).toBeNull();
    expect(decodePosition('')).toBeNull();
    expect(decodePosition(42)).toBeNull();
    // A well-formed position into another root type is refused before it is resolved.
    const other = Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(new Y.Doc().getMap('threads'), 0))).toString('base64');
    expect(decodePosition(other)).toBeNull();
    const doc = makeDoc();
    const fragment = contentFragment(doc);
    const elsewhere = anchorAt(contentFragment(makeDoc()), 1, 5);
    // Items another document has never seen do not resolve.
    expect(resolveAnchor(doc, fragment, elsewhere)).not.toBeNull();
    expect(resolvePosition(doc, fragment, elsewhere.start)).toBeNull();
  });
});

function textsOf(type: Y.XmlFragment | Y.XmlElement): Y.XmlText[] {
  const out: Y.XmlText[] = [];
  for (const child of type.toArray()) {
    if (child instanceof Y.XmlText) out.push(child);
    else if (child instanceof Y.XmlElement) out.push(...textsOf(child));
  }
  return out;
}

/** An XmlText's characters (its toString() would add formatting tags). */
function plain(text: Y.XmlText): string {
  return (text.toDelta() as { insert: unknown }[]).map((d) => (typeof d.insert === 'string' ? d.insert : '')).join('');
}

describe('anchors through the editor binding’s structural rewrites', () => {
  const p = (text: string) => ({ type: 'paragraph', content: text ? [{ type: 'text', text }] : undefined });
  const docOf = (...content: object[]) => ({ type: 'doc', content });
  const SENTENCE = 'Clause 1. The parties agree to restore the river. Clause 2. Funding.';

  /** Applies a new document the way the editor binding does, repairing the anchor in the same transaction. */
  function rewrite(doc: Y.Doc, anchor: ThreadAnchor, json: object): ThreadAnchor {
    const fragment = contentFragment(doc);
    let result = anchor;
    const onTransaction = (tr: Y.Transaction) => {
      result = repairAnchor(doc, fragment, result, tr) ?? result;
    };
    doc.on('afterTransaction', onTransaction);
    updateYFragment(doc, fragment, schema.nodeFromJSON(json), { mapping: new Map(), isOMark: new Map() });
    doc.off('afterTransaction', onTransaction);
    return result;
  }

  function quoteOf(doc: Y.Doc, anchor: ThreadAnchor): string | null {
    const fragment = contentFragment(doc);
    const r = resolveAnchor(doc, fragment, anchor);
    return r && !r.detached ? textBetween(fragment, r.from, r.to) : null;
  }

  function start(): { doc: Y.Doc; anchor: ThreadAnchor } {
    const doc = new Y.Doc();
    prosemirrorJSONToYXmlFragment(schema, docOf(p(SENTENCE)), contentFragment(doc));
    const at = 1 + SENTENCE.indexOf('restore the river');
    return { doc, anchor: anchorAt(contentFragment(doc), at, at + 'restore the river'.length) };
  }

  it('keeps the passage when its paragraph is split before it and joined again', () => {
    const { doc, anchor } = start();
    const split = rewrite(doc, anchor, docOf(p('Clause 1.'), p(' The parties agree to restore the river. Clause 2. Funding.')));
    expect(quoteOf(doc, split)).toBe('restore the river');
    const joined = rewrite(doc, split, docOf(p(SENTENCE)));
    expect(quoteOf(doc, joined)).toBe('restore the river');
  });

  it('keeps the whole passage when it is split in two, and when it becomes a heading or a list', () => {
    const { doc, anchor } = start();
    const split = rewrite(doc, anchor, docOf(p('Clause 1. The parties agree to restore the'), p(' river. Clause 2. Funding.')));
    expect(quoteOf(doc, split)).toBe('restore the\n river');
    const heading = rewrite(doc, split, docOf({ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: SENTENCE }] }));
    expect(quoteOf(doc, heading)).toBe('restore the river');
    const list = rewrite(doc, heading, docOf({ type: 'bulletList', content: [{ type: 'listItem', content: [p(SENTENCE)] }] }));
    expect(quoteOf(doc, list)).toBe('restore the river');
  });

  it('leaves a passage that was really deleted detached, and one that was cut short as it is', () => {
    const { doc, anchor } = start();
    const shortened = rewrite(doc, anchor, docOf(p('Clause 1. The parties agree to restore the. Clause 2. Funding.')));
    expect(shortened).toBe(anchor);
    expect(quoteOf(doc, shortened)).toBe('restore the');
    const gone = rewrite(doc, shortened, docOf(p('Clause 1. The parties agree. Clause 2. Funding.')));
    expect(gone).toBe(anchor);
    expect(quoteOf(doc, gone)).toBeNull();
  });
});
