import type { Node as PMNode } from '@tiptap/pm/model';
import * as Y from 'yjs';
import { decodePosition } from './anchors';
import type { ThreadAnchor } from './threads';

/**
 * A short fingerprint of the whole blocks between `from` and `to` of `doc`: their words, formatting
 * and attributes (an objective's facts, a heading's level). A blocks suggestion replaces those blocks
 * with the suggester's copy, so a change to any of it since (not only to the words) makes the
 * suggestion outdated; accepting would silently undo that change. The server and the editor read the
 * text with one schema, so both compute the same fingerprint. Not a defence against forgery: a
 * suggester cannot know the later edit it would have to collide with.
 */
export function passageFingerprint(doc: PMNode, from: number, to: number): string {
  const json = JSON.stringify(doc.slice(from, to).content.toJSON());
  // cyrb53: two 32-bit FNV-like lanes mixed into 53 bits, synchronous in the browser and in Node.
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < json.length; i++) {
    const c = json.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/** Whether a suggestion's passage (`from`..`to` of `doc`) reads as when it was made: the same text, and for whole blocks the same blocks. */
export function passageUnchanged(doc: PMNode, from: number, to: number, made: { deleted: string; fingerprint?: string }): boolean {
  if (doc.textBetween(from, to, '\n', '\n') !== made.deleted) return false;
  // Suggestions made before fingerprints were kept are compared by their text alone.
  return made.fingerprint === undefined || passageFingerprint(doc, from, to) === made.fingerprint;
}

/**
 * Whether a point suggestion (an insertion) lost its place: its point sticks to the character before
 * it, and once that character is deleted (the words around it rewritten, or replaced by an accepted
 * suggestion) the point resolves to wherever the deletion was, where its words would read as nonsense
 * ("The parties  equallysplit the costs"). Such a suggestion is outdated. A passage is not a point:
 * its own text tells whether it changed.
 */
export function pointLostItsPlace(doc: Y.Doc, anchor: ThreadAnchor): boolean {
  if (anchor.start !== anchor.end) return false;
  const id = decodePosition(anchor.start)?.item;
  if (!id) return false;
  if (Y.getState(doc.store, id.client) <= id.clock) return false;
  return Y.getItem(doc.store, id).deleted;
}
