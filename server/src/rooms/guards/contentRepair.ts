import * as Y from 'yjs';
import { CONTENT_FIELD } from '#shared/rooms';
import type { SchemaRules } from './schemaRules';

/**
 * Items of the text that no reader can turn into ProseMirror nodes: a Y.Map or bare
 * Y.XmlText where an element belongs, element names the schema does not allow there,
 * embeds inside text, and everything nested deeper than `maxDepth`. Walked with a loop,
 * not recursion: a poisoned text may nest thousands of levels deep.
 */
export function unreadableItems(doc: Y.Doc, rules: SchemaRules, maxDepth: number): Y.Item[] {
  const found: Y.Item[] = [];
  const stack: { type: Y.XmlFragment | Y.XmlText; holder: string; depth: number }[] = [{ type: doc.getXmlFragment(CONTENT_FIELD), holder: 'doc', depth: 0 }];
  while (stack.length > 0) {
    const { type, holder, depth } = stack.pop()!;
    for (let item = type._start; item !== null; item = item.right) {
      if (item.deleted) continue;
      const content = item.content;
      if (type instanceof Y.XmlText) {
        if (!(content instanceof Y.ContentString) && !(content instanceof Y.ContentFormat)) found.push(item);
        continue;
      }
      const child = content instanceof Y.ContentType ? content.type : undefined;
      if (child instanceof Y.XmlText && rules.holdsText.has(holder)) {
        stack.push({ type: child, holder, depth });
      } else if (child instanceof Y.XmlElement && rules.children.get(holder)?.has(child.nodeName) && depth < maxDepth) {
        stack.push({ type: child, holder: child.nodeName, depth: depth + 1 });
      } else {
        found.push(item);
      }
    }
  }
  return found;
}

/** Levels deleted (and garbage-collected) in one transaction: a recursion this deep is safe. */
const LEVELS_PER_TRANSACTION = 200;

/**
 * Deletes the unreadable items of a text; answers how many there were. Each is deleted with
 * everything inside it, deepest levels first, a few hundred levels per transaction: Yjs
 * collects a deleted type's garbage by recursing into its children, which overflows the stack
 * on a tree thousands deep unless the levels below are already collected.
 */
export function repairContent(doc: Y.Doc, rules: SchemaRules, maxDepth: number, origin: unknown): number {
  const unreadable = unreadableItems(doc, rules, maxDepth);
  const levels: Y.Item[][] = [];
  for (const root of unreadable) {
    const stack: [Y.Item, number][] = [[root, 0]];
    while (stack.length > 0) {
      const [item, level] = stack.pop()!;
      (levels[level] ??= []).push(item);
      if (!(item.content instanceof Y.ContentType)) continue;
      for (let child = item.content.type._start; child !== null; child = child.right) {
        if (!child.deleted && child.content instanceof Y.ContentType) stack.push([child, level + 1]);
      }
    }
  }
  for (let bottom = levels.length; bottom > 0; bottom -= LEVELS_PER_TRANSACTION) {
    doc.transact((transaction) => {
      for (let level = bottom - 1; level >= Math.max(0, bottom - LEVELS_PER_TRANSACTION); level--) {
        for (const item of levels[level]) if (!item.deleted) item.delete(transaction);
      }
    }, origin);
  }
  return unreadable.length;
}
