import * as Y from 'yjs';

/**
 * What the items `[from, to)` of an item weigh (offsets inside it), in the unit of the text's
 * size cap and of what one update may insert: a character weighs one, and so does a node; an
 * attribute of a node or a mark weighs the characters of its value (at least one), keys
 * included. A mark is one item whatever it carries: counted as one, an attribute object of
 * 700,000 characters cost the cap what one character does.
 */
export function itemWeight(item: Y.Item, from = 0, to = item.length): number {
  const content = item.content;
  if (content instanceof Y.ContentFormat) return Math.max(1, charsOf(content.value));
  if (content instanceof Y.ContentEmbed) return Math.max(1, charsOf(content.embed));
  if (content instanceof Y.ContentBinary) return Math.max(1, content.content.byteLength);
  if (content instanceof Y.ContentAny || content instanceof Y.ContentJSON) {
    let weight = 0;
    for (let i = from; i < to; i++) weight += Math.max(1, charsOf(content.arr[i]));
    return weight;
  }
  // Characters, ranges that arrive deleted, nodes.
  return to - from;
}

/** Characters of a value as the text holds it: strings by their length, keys included; other scalars one. Walked without recursion. */
function charsOf(value: unknown): number {
  let chars = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const next = stack.pop();
    if (typeof next === 'string') chars += next.length;
    else if (next instanceof Uint8Array) chars += next.byteLength;
    else if (Array.isArray(next)) for (const inner of next as unknown[]) stack.push(inner);
    else if (next !== null && typeof next === 'object') {
      for (const [key, inner] of Object.entries(next)) {
        chars += key.length;
        stack.push(inner);
      }
    } else if (next !== null && next !== undefined) chars += 1;
  }
  return chars;
}
