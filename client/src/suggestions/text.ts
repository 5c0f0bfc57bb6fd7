import type { ProseMirrorJSON } from '#shared/snapshots';
import type { Suggestion } from '#shared/suggestions';

function plain(node: ProseMirrorJSON): string {
  return node.text ?? (node.content ?? []).map(plain).join('');
}

/** What a suggestion puts in: its text, or its blocks' text one per line. */
export function insertedText(s: Suggestion): string {
  return s.kind === 'text' ? (s.text ?? '') : (s.blocks ?? []).map(plain).join('\n');
}
