import * as Y from 'yjs';

/**
 * The words of a copy of the text that the server's copy does not hold, block by block: what a
 * person loses when the server refuses their changes and the page reloads the text from it. An
 * update is refused whole (Yjs cannot take part of one client's changes), so offline work that
 * crossed, say, an objective that changed owner took their words everywhere else with it.
 */
export function blockTexts(doc: Y.Doc): string[] {
  return doc
    .getXmlFragment('content')
    .toArray()
    .map((node) => textOf(node).trim())
    .filter((text) => text.length > 0);
}

/** The blocks of `mine` (from {@link blockTexts}) whose text is in none of `server`'s blocks. */
export function unsavedBlocks(mine: string[], server: Y.Doc): string[] {
  const held = new Set(blockTexts(server));
  return mine.filter((text) => !held.has(text));
}

function textOf(node: Y.XmlElement | Y.XmlText | Y.XmlHook): string {
  if (node instanceof Y.XmlText) return (node.toDelta() as { insert?: unknown }[]).map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('');
  // An objective's fields, a list's items: one per line.
  if (node instanceof Y.XmlElement) return node.toArray().map(textOf).join('\n');
  return '';
}
