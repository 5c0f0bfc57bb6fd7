import * as Y from 'yjs';
import { documentSchema } from '#shared/schema';
import type { ChangeAuthor, ProseMirrorJSON } from '#shared/snapshots';
import { canonicalJson } from '../fingerprint';
import { isVisible } from './rewrittenBlocks';
import type { Mark, Piece } from './wholeWords';

type Snapshot = ReturnType<typeof Y.createSnapshot>;
type AuthorOf = (kind: 'added' | 'removed', id: Y.ID) => ChangeAuthor;

/**
 * Changes that move no character: a mark put on or taken off (a word made bold, a link given
 * another target) and a block's own attributes (a heading's level, the number a list starts at).
 * Yjs's snapshot delta marks only characters inserted or deleted, so a comparison read these
 * versions as the same text. Each is shown as the old version deleted and the new one inserted.
 */

/** A stretch of characters, counted as `toDelta(to, from)` lists them, whose marks were `formats` in the older version. */
export interface FormatChange {
  start: number;
  end: number;
  formats: Mark[];
  author: ChangeAuthor;
}

/**
 * The stretches of a text, kept in both versions, whose marks differ between them, each with its
 * older marks and whoever set (or removed) the mark that changed. Offsets count the characters of
 * every string `toDelta(to, from)` answers (those visible in either version), in its order.
 */
export function formatChanges(text: Y.XmlText, from: Snapshot, to: Snapshot, authorOf: AuthorOf, unknown: ChangeAuthor): FormatChange[] {
  const before = new Map<string, unknown>();
  const after = new Map<string, unknown>();
  const changes: FormatChange[] = [];
  let offset = 0;
  let author: ChangeAuthor | null = null;
  let differ = false;
  for (let item = text._start; item !== null; item = item.right) {
    const [inFrom, inTo] = [isVisible(item, from), isVisible(item, to)];
    if (!inFrom && !inTo) continue;
    const content = item.content;
    if (content instanceof Y.ContentFormat) {
      if (inFrom) setFormat(before, content);
      if (inTo) setFormat(after, content);
      // The nearest mark boundary set or removed since `from` is the change the text after it shows.
      if (inFrom !== inTo) author = authorOf(inTo ? 'added' : 'removed', item.id);
      differ = !sameFormats(before, after);
    } else if (content instanceof Y.ContentString) {
      const end = offset + content.str.length;
      if (inFrom && inTo && differ) {
        const last = changes.at(-1);
        const formats = [...before].map(([name, value]) => markOf(name, value));
        const who = author ?? unknown;
        if (last && last.end === offset && last.author.personId === who.personId && canonicalJson(last.formats) === canonicalJson(formats)) last.end = end;
        else changes.push({ start: offset, end, formats, author: who });
      }
      offset = end;
    }
  }
  return changes;
}

function setFormat(formats: Map<string, unknown>, content: Y.ContentFormat): void {
  if (content.value === null) formats.delete(content.key);
  else formats.set(content.key, content.value);
}

function sameFormats(a: Map<string, unknown>, b: Map<string, unknown>): boolean {
  if (a.size !== b.size) return false;
  for (const [name, value] of a) if (!b.has(name) || canonicalJson(value) !== canonicalJson(b.get(name))) return false;
  return true;
}

/** y-prosemirror stores a mark as a format attribute named after it (with a hash suffix when marks of one type overlap). */
export function markOf(name: string, value: unknown): Mark {
  const type = /(.*)(--[a-zA-Z0-9+/=]{8})$/.exec(name)?.[1] ?? name;
  return value && typeof value === 'object' && Object.keys(value).length > 0 ? { type, attrs: value as Record<string, unknown> } : { type };
}

/**
 * The first of an element's own attributes whose meaning differs between the versions (one never
 * written reads as the schema's default, so a list the editor first wrote `start: 1` on is no
 * change), or null.
 */
export function changedAttribute(el: Y.XmlElement, from: Snapshot, to: Snapshot): string | null {
  const before = el.getAttributes(from) as Record<string, unknown>;
  const after = el.getAttributes(to) as Record<string, unknown>;
  const defaults = documentSchema().nodes[el.nodeName]?.spec.attrs ?? {};
  const meaning = (attrs: Record<string, unknown>, key: string) => canonicalJson(attrs[key] ?? (defaults[key]?.default as unknown) ?? null);
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].find((key) => meaning(before, key) !== meaning(after, key)) ?? null;
}

/** A block as one version had it, marked as removed or added whole by `author`: its text carries the change too. */
export function wholeBlockChange(node: ProseMirrorJSON, type: 'added' | 'removed', author: ChangeAuthor): ProseMirrorJSON {
  const mark = { type: type === 'added' ? 'insertion' : 'deletion', attrs: { ...author } };
  const marked = (n: ProseMirrorJSON): ProseMirrorJSON =>
    n.type === 'text' ? { ...n, marks: [...(n.marks ?? []), mark] } : n.content ? { ...n, content: n.content.map(marked) } : n;
  return { ...marked(node), attrs: { ...node.attrs, blockChange: { type, author } } };
}

/** A run of text kept in both versions, cut where its marks changed: each such stretch as it was (removed), then as it is (added). */
export function restyledPieces(piece: Piece, offset: number, changes: FormatChange[]): Piece[] {
  const out: Piece[] = [];
  const end = offset + piece.text.length;
  const slice = (from: number, to: number) => piece.text.slice(from - offset, to - offset);
  let at = offset;
  for (const change of changes) {
    if (change.end <= at || change.start >= end) continue;
    const [from, to] = [Math.max(change.start, at), Math.min(change.end, end)];
    if (from > at) out.push({ text: slice(at, from), formats: piece.formats });
    out.push(
      { text: slice(from, to), formats: change.formats, change: { type: 'removed', author: change.author } },
      { text: slice(from, to), formats: piece.formats, change: { type: 'added', author: change.author } },
    );
    at = to;
  }
  if (at < end) out.push({ text: slice(at, end), formats: piece.formats });
  return out;
}
