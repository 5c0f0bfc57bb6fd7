import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import type { Fragment, Node as PMNode } from '@tiptap/pm/model';
import { ReplaceAroundStep, ReplaceStep } from '@tiptap/pm/transform';
import { fromSharedText } from './fromSharedText';
import { SYNC_MESSAGE_OVERHEAD } from '#shared/splitUpdate';

export interface SizeGuardOptions {
  /** The server's largest message, in bytes. */
  limit: () => number;
  /** Called instead of applying a change that would not fit: its estimated size and the limit. */
  onRefused: (bytes: number, limit: number) => void;
}

/** Bytes a node costs in a Yjs update beyond its text: item headers, its name, attributes. */
const PER_NODE = 24;
const PER_MARK = 48;

/** UTF-8 length of a string, without building the bytes (a 10 MB paste stays cheap to measure). */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code >= 0xd800 && code <= 0xdbff ? 2 : code >= 0xdc00 && code <= 0xdfff ? 2 : 3;
  }
  return bytes;
}

/** An estimate of the Yjs update bytes of inserting `content`: about what y-prosemirror will encode. */
export function estimateUpdateBytes(content: Fragment): number {
  let bytes = 0;
  content.descendants((node: PMNode) => {
    if (node.isText) {
      bytes += utf8Length(node.text ?? '') + PER_NODE + node.marks.length * PER_MARK;
    } else {
      bytes += PER_NODE + node.type.name.length + utf8Length(JSON.stringify(node.attrs));
    }
    return true;
  });
  return bytes;
}

/**
 * Refuses, before it is applied, any local change (a paste, a drop, an inserted template)
 * whose update would be bigger than the server takes: the server would cut the connection
 * (1009) and nobody would see the person's edits. The person is told the size and the limit.
 * Changes arriving from others (through Yjs) are never filtered.
 */
export const SizeGuard = Extension.create<SizeGuardOptions>({
  name: 'sizeGuard',
  addOptions() {
    return { limit: () => Number.POSITIVE_INFINITY, onRefused: () => {} };
  },
  addProseMirrorPlugins() {
    const { limit, onRefused } = this.options;
    return [
      new Plugin({
        key: new PluginKey('sizeGuard'),
        filterTransaction(tr) {
          if (!tr.docChanged) return true;
          if (fromSharedText(tr)) return true;
          let bytes = 0;
          for (const step of tr.steps) {
            if (step instanceof ReplaceStep || step instanceof ReplaceAroundStep) bytes += estimateUpdateBytes(step.slice.content);
          }
          const max = limit() - SYNC_MESSAGE_OVERHEAD;
          if (bytes <= max) return true;
          onRefused(bytes, limit());
          return false;
        },
      }),
    ];
  },
});
