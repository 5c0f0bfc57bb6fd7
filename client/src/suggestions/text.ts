import type { Node as PMNode } from '@tiptap/pm/model';
import { insertedText, type Suggestion } from '#shared/suggestions';

/** Names of blocks that can hold no text, or hold none yet, for a suggestion that has no words to show. */
const TEXTLESS_BLOCK_NAMES: Record<string, string> = {
  paragraph: 'empty paragraph',
  heading: 'empty heading',
  horizontalRule: 'horizontal rule',
  objective: 'objective with nothing written in it',
  bulletList: 'empty list',
  orderedList: 'empty list',
  blockquote: 'empty quote',
  codeBlock: 'empty code block',
};

/**
 * What a blocks suggestion puts in when none of it is text ("[empty paragraph] [horizontal
 * rule]"), so the card and the text show that something is proposed; '' when it has words.
 */
export function textlessInsertionInWords(s: Suggestion): string {
  if (s.kind !== 'blocks' || !s.blocks?.length || insertedText(s).trim() !== '') return '';
  return s.blocks.map((block) => `[${TEXTLESS_BLOCK_NAMES[block.type] ?? 'empty block'}]`).join(' ');
}

/**
 * What a blocks suggestion takes out when none of it is text, named from the text it is in
 * ("[empty paragraph]", "[horizontal rule]"); '' when it takes out words or nothing.
 */
export function textlessDeletionInWords(s: Suggestion, place: { from: number; to: number } | null, doc: PMNode | undefined): string {
  if (s.kind !== 'blocks' || !place || place.to <= place.from || s.deleted.trim() !== '') return '';
  const names: string[] = [];
  if (doc && place.to <= doc.content.size) {
    // A blocks suggestion takes out whole children of one parent (the server checks it).
    const $from = doc.resolve(place.from);
    $from.parent.forEach((child, offset) => {
      const pos = $from.start() + offset;
      if (pos >= place.from && pos + child.nodeSize <= place.to) names.push(`[${TEXTLESS_BLOCK_NAMES[child.type.name] ?? 'block with no text'}]`);
    });
  }
  return names.length > 0 ? names.join(' ') : '[block with no text]';
}
