import * as Y from 'yjs';
import type { JSONContent } from '@tiptap/core';
import { objectivesOf, type HashedObjective } from './documentReader';
import { readableContent } from './readableContent';

/** What is read of the live text: its objectives, the same with its whole state (a stance's basis), all of it, or its state alone (one update). */
export type TextReadKind = 'objectives' | 'objectivesAndState' | 'document' | 'state';

export interface TextRead {
  objectives?: HashedObjective[];
  /** The whole state, encoded before reading (reading repairs what no reader can read, in the copy). */
  state?: Uint8Array;
  /** The text as ProseMirror JSON, as JSON text: an object tree handed back costs the main thread as much as reading it. */
  document?: string;
  /** How long the read took in the worker (its own work, not the wait for it). */
  workMs: number;
}

/** Reads a text given as updates that apply in order (Room.wholeState). Runs in the document worker. */
export function readText(parts: Uint8Array[], kind: TextReadKind): TextRead {
  const started = performance.now();
  const read = readParts(parts, kind);
  return { ...read, workMs: performance.now() - started };
}

function readParts(parts: Uint8Array[], kind: TextReadKind): Omit<TextRead, 'workMs'> {
  const copy = new Y.Doc();
  try {
    copy.transact(() => parts.forEach((part) => Y.applyUpdate(copy, part)));
    const state = kind === 'objectivesAndState' || kind === 'state' ? Y.encodeStateAsUpdate(copy) : undefined;
    if (kind === 'state') return { state };
    const content = readableContent(copy).content as JSONContent;
    if (kind === 'document') return { document: JSON.stringify(content) };
    return { objectives: objectivesOf(content), ...(state ? { state } : {}) };
  } finally {
    copy.destroy();
  }
}
