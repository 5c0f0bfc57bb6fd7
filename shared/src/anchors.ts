import * as Y from 'yjs';
import { fromBase64, toBase64 } from 'lib0/buffer';
import { CONTENT_FIELD } from './rooms';
import { documentSchema } from './schema';
import type { ThreadAnchor } from './threads';

/**
 * Thread anchors: Yjs relative positions into the agreement's `content` fragment,
 * translated to and from ProseMirror positions by walking the Yjs tree itself (no editor
 * needed), so the browser and the server agree on where a passage is.
 *
 * ProseMirror counts an element as its opening tag, its content and its closing tag
 * (a leaf such as a hard break counts 1); text counts its characters.
 */

/** Longest accepted encoded position (a real one is a few dozen bytes). */
const MAX_ENCODED_LENGTH = 256;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

let leafNames: Set<string> | undefined;
function isLeaf(nodeName: string): boolean {
  leafNames ??= new Set(
    Object.values(documentSchema().nodes)
      .filter((n) => n.isLeaf)
      .map((n) => n.name),
  );
  return leafNames.has(nodeName);
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any Yjs type of the tree
export type AnyType = Y.AbstractType<any>;

/** The live (not deleted) child types of an element or fragment, in order. */
export function* childTypes(type: AnyType): Generator<AnyType> {
  for (let item = type._first; item !== null; item = item.right) {
    if (!item.deleted && item.content instanceof Y.ContentType) yield item.content.type as AnyType;
  }
}

/** ProseMirror size of one node of the Yjs tree. */
export function nodeSize(type: AnyType): number {
  if (type instanceof Y.XmlText) return type.length;
  if (type instanceof Y.XmlElement) {
    let size = 0;
    for (const child of childTypes(type)) size += nodeSize(child);
    return size === 0 && isLeaf(type.nodeName) ? 1 : size + 2;
  }
  return 0;
}

/** Where each live top-level block of a fragment starts: measured once, shared by many anchors. */
export type BlockStarts = Map<AnyType, number>;

/** Measures the top-level blocks of `fragment` (one pass over the text). */
export function measureBlocks(fragment: Y.XmlFragment): BlockStarts {
  const starts: BlockStarts = new Map();
  let pos = 0;
  for (const block of childTypes(fragment as AnyType)) {
    starts.set(block, pos);
    pos += nodeSize(block);
  }
  return starts;
}

/**
 * Where a type's content starts. When the type (or one of its ancestors) was deleted,
 * `gone` is set and `pos` is where the outermost deleted one used to be. With `blocks`, a
 * top-level block's start is read from it instead of adding up every block before it.
 */
function contentStart(fragment: Y.XmlFragment, type: AnyType, blocks?: BlockStarts): { pos: number; gone: boolean } | null {
  if (type === (fragment as AnyType)) return { pos: 0, gone: false };
  const item = type._item;
  if (item === null || !(item.parent instanceof Y.AbstractType)) return null;
  const outer = contentStart(fragment, item.parent as AnyType, blocks);
  if (!outer || outer.gone) return outer;
  const measured = item.parent === (fragment as AnyType) ? blocks?.get(type) : undefined;
  let pos = outer.pos;
  if (measured !== undefined) pos = measured;
  else {
    for (let n = (item.parent as AnyType)._first; n !== null && n !== item; n = n.right) {
      if (!n.deleted && n.content instanceof Y.ContentType) pos += nodeSize(n.content.type as AnyType);
    }
  }
  if (item.deleted) return { pos, gone: true };
  return { pos: type instanceof Y.XmlText ? pos : pos + 1, gone: false };
}

/** The ProseMirror position of a resolved Yjs position, or null when it is not in `fragment`. */
function toEditorPosition(fragment: Y.XmlFragment, abs: Y.AbsolutePosition, blocks?: BlockStarts): number | null {
  const start = contentStart(fragment, abs.type as AnyType, blocks);
  if (!start) return null;
  if (start.gone) return start.pos;
  if (abs.type instanceof Y.XmlText) return start.pos + Math.min(abs.index, abs.type.length);
  let pos = start.pos;
  let i = 0;
  for (const child of childTypes(abs.type as AnyType)) {
    if (i++ >= abs.index) break;
    pos += nodeSize(child);
  }
  return pos;
}

/** The Yjs type and index at a ProseMirror position (text wins at a boundary). */
function locate(type: AnyType, pos: number): { type: AnyType; index: number } {
  let index = 0;
  for (const child of childTypes(type)) {
    if (child instanceof Y.XmlText) {
      if (pos <= child.length) return { type: child, index: pos };
      pos -= child.length;
    } else {
      const size = nodeSize(child);
      if (pos === 0) return { type, index };
      if (pos < size) return locate(child, pos - 1);
      pos -= size;
    }
    index++;
  }
  if (pos === 0) return { type, index };
  throw new RangeError('position outside the document');
}

/** A relative position at a ProseMirror position of `fragment`. */
export function relativePositionAt(fragment: Y.XmlFragment, pos: number, assoc: number): Y.RelativePosition {
  const { type, index } = locate(fragment as AnyType, pos);
  return Y.createRelativePositionFromTypeIndex(type, index, assoc);
}

export function encodePosition(position: Y.RelativePosition): string {
  return toBase64(Y.encodeRelativePosition(position));
}

/** Decodes one encoded position; null for anything that is not one (never throws). */
export function decodePosition(encoded: unknown): Y.RelativePosition | null {
  if (typeof encoded !== 'string' || encoded.length === 0 || encoded.length > MAX_ENCODED_LENGTH || !BASE64.test(encoded)) return null;
  try {
    const position = Y.decodeRelativePosition(fromBase64(encoded));
    // A named root type other than the text would be created on resolving: refuse it.
    if (position.tname !== null && position.tname !== CONTENT_FIELD) return null;
    if (position.type === null && position.tname === null && position.item === null) return null;
    return position;
  } catch {
    return null;
  }
}

/** The anchor of the passage between two ProseMirror positions (from < to). */
export function anchorAt(fragment: Y.XmlFragment, from: number, to: number): ThreadAnchor {
  return {
    // The start sticks to the passage's first character, the end to its last.
    start: encodePosition(relativePositionAt(fragment, from, 0)),
    end: encodePosition(relativePositionAt(fragment, to, -1)),
  };
}

/** Where an encoded position points now, or null when it does not resolve in `fragment`. */
export function resolvePosition(doc: Y.Doc, fragment: Y.XmlFragment, encoded: string, blocks?: BlockStarts): number | null {
  const position = decodePosition(encoded);
  if (!position) return null;
  try {
    const abs = Y.createAbsolutePositionFromRelativePosition(position, doc);
    if (!abs) return null;
    return toEditorPosition(fragment, abs, blocks);
  } catch {
    return null;
  }
}

/**
 * Whether a document has received everything an anchor refers to. A client that has not
 * yet synced the text cannot tell a deleted passage from one it has not seen yet.
 */
export function isAnchorKnown(doc: Y.Doc, anchor: ThreadAnchor): boolean {
  for (const encoded of [anchor.start, anchor.end]) {
    const position = decodePosition(encoded);
    if (!position) return false;
    for (const id of [position.item, position.type]) {
      if (id && Y.getState(doc.store, id.client) <= id.clock) return false;
    }
  }
  return true;
}

export interface ResolvedAnchor {
  from: number;
  to: number;
  /** True when nothing of the passage is left (its text was deleted). */
  detached: boolean;
}

/**
 * Where a thread's passage is now. Null when the anchor cannot be decoded or refers to
 * nothing in this document; `detached` when the passage's text is gone. Resolving many
 * anchors against one state of the text, pass `blocks` ({@link measureBlocks}) so each
 * anchor costs its own block, not the whole text before it.
 */
export function resolveAnchor(doc: Y.Doc, fragment: Y.XmlFragment, anchor: ThreadAnchor, blocks?: BlockStarts): ResolvedAnchor | null {
  if (!decodePosition(anchor.start) || !decodePosition(anchor.end)) return null;
  const from = resolvePosition(doc, fragment, anchor.start, blocks);
  const to = resolvePosition(doc, fragment, anchor.end, blocks);
  if (from === null && to === null) return { from: 0, to: 0, detached: true };
  if (from === null || to === null) {
    const at = (from ?? to) as number;
    return { from: at, to: at, detached: true };
  }
  return { from, to, detached: from >= to };
}

let textblockNames: Set<string> | undefined;
function isTextblock(nodeName: string): boolean {
  textblockNames ??= new Set(
    Object.values(documentSchema().nodes)
      .filter((n) => n.isTextblock)
      .map((n) => n.name),
  );
  return textblockNames.has(nodeName);
}

/**
 * The text between two ProseMirror positions, as ProseMirror's `textBetween` reads it with
 * a line break between blocks and for a hard break; trimmed.
 */
export function textBetween(fragment: Y.XmlFragment, from: number, to: number): string {
  let text = '';
  let first = true;
  const visit = (type: AnyType, start: number) => {
    let pos = start;
    for (const child of childTypes(type)) {
      if (pos >= to) break;
      const size = nodeSize(child);
      if (pos + size > from) {
        if (child instanceof Y.XmlText) {
          const chars = (child.toDelta() as { insert: unknown }[]).map((d) => (typeof d.insert === 'string' ? d.insert : '\ufffc')).join('');
          text += chars.slice(Math.max(0, from - pos), Math.max(0, to - pos)).replace(/\ufffc/g, '');
        } else if (child instanceof Y.XmlElement) {
          if (isTextblock(child.nodeName)) {
            if (first) first = false;
            else text += '\n';
          }
          if (size === 1) {
            if (child.nodeName === 'hardBreak') text += '\n';
          } else {
            visit(child, pos + 1);
          }
        }
      }
      pos += size;
    }
  };
  visit(fragment as AnyType, 0);
  return text.trim();
}

/** The agreement text's fragment in a content room's doc. */
export function contentFragment(doc: Y.Doc): Y.XmlFragment {
  return doc.getXmlFragment(CONTENT_FIELD);
}
