import * as Y from 'yjs';
import { CONTENT_FIELD } from '#shared/rooms';

/**
 * The text of each textblock (paragraph, heading, list item's paragraph, objective field) of a
 * copy of the agreement, in the order of the text: what a person can copy back a passage at a time.
 */
export function passages(doc: Y.Doc): string[] {
  return textblocks(doc).map(passageOf);
}

/**
 * The passages holding words this device wrote that the server has not confirmed, as the person has
 * them: what a person whose access ended while those waited can still copy.
 */
export function unsentPassages(doc: Y.Doc, isUnconfirmed: (client: number, clock: number, length: number) => boolean): string[] {
  const unsent = (text: Y.XmlText) => {
    for (let item = text._start; item; item = item.right) {
      if (!item.deleted && isUnconfirmed(item.id.client, item.id.clock, item.length)) return true;
    }
    return false;
  };
  return textblocks(doc)
    .filter((children) => children.some((child) => child instanceof Y.XmlText && unsent(child)))
    .map(passageOf)
    .filter((passage) => passage.trim() !== '');
}

/** The children of each textblock of the text, in its order. */
function textblocks(doc: Y.Doc): (Y.XmlText | Y.XmlElement | Y.XmlHook)[][] {
  const found: (Y.XmlText | Y.XmlElement | Y.XmlHook)[][] = [];
  const visit = (element: Y.XmlElement | Y.XmlFragment) => {
    const children = element.toArray();
    if (children.some((child) => child instanceof Y.XmlText)) {
      found.push(children);
      return;
    }
    for (const child of children) if (child instanceof Y.XmlElement) visit(child);
  };
  visit(doc.getXmlFragment(CONTENT_FIELD));
  return found;
}

/** A textblock's text; an inline node inside it (a line break) reads as a new line. */
function passageOf(children: (Y.XmlText | Y.XmlElement | Y.XmlHook)[]): string {
  return children.map((child) => (child instanceof Y.XmlText ? textOf(child) : '\n')).join('');
}

function textOf(text: Y.XmlText): string {
  return (text.toDelta() as { insert: unknown }[]).map((op) => (typeof op.insert === 'string' ? op.insert : '')).join('');
}

/**
 * The passages of a refused copy that the server's text does not hold word for word, in their
 * order: each as the person had it, so a sentence added to a paragraph comes with its paragraph.
 */
export function passagesNotIn(refused: string[], server: string[]): string[] {
  const held = new Map<string, number>();
  for (const passage of server) held.set(passage, (held.get(passage) ?? 0) + 1);
  return refused.filter((passage) => {
    if (passage.trim() === '') return false;
    const left = held.get(passage) ?? 0;
    if (left === 0) return true;
    held.set(passage, left - 1);
    return false;
  });
}

/** Where a refused change's words wait on this device for the person to copy them: one place per person and agreement. */
export function unsavedWordsKey(deviceCopy: string): string {
  return `${deviceCopy}:unsaved`;
}

/**
 * Keeps the words on this device (localStorage) until the person dismisses them: a reload, or the
 * tab closed before they copied them, must not lose them a second time.
 */
export function keepUnsavedWords(key: string, reason: string, words: string[]): void {
  try {
    localStorage.setItem(key, JSON.stringify({ reason, words }));
  } catch {
    // Storage refused (private mode, full): they are still on screen.
  }
}

/** The words kept by {@link keepUnsavedWords}, with the server's reason, if any. */
export function keptUnsavedWords(key: string): { reason: string; words: string[] } | null {
  try {
    const kept = JSON.parse(localStorage.getItem(key) ?? 'null') as { reason?: unknown; words?: unknown } | null;
    if (!kept || typeof kept.reason !== 'string' || !Array.isArray(kept.words)) return null;
    const words = kept.words.filter((w): w is string => typeof w === 'string');
    return words.length > 0 ? { reason: kept.reason, words } : null;
  } catch {
    return null;
  }
}

export function forgetUnsavedWords(key: string): void {
  try {
    localStorage.removeItem(key);
  } catch {
    // Nothing kept.
  }
}
