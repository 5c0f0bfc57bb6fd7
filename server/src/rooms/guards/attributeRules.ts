import * as Y from 'yjs';
import type { UpdateLimits } from './limits';
import type { DeclaredAttributes, SchemaRules } from './schemaRules';
import { UpdateRefused } from './updateCost';

/**
 * What a node's attributes and a mark's may be: only the names the schema declares for it, each
 * null or a scalar of its default's type, strings at most `maxAttributeChars`. A mark is one item
 * of the text whatever it carries, so its attributes are bounded by name and size like a node's.
 */

/** Checks an element's attribute (one item of the element's map) against the schema; answers its value. */
export function checkAttribute(rules: SchemaRules, limits: UpdateLimits, element: string, key: string, content: Y.Item['content']): unknown {
  const expected = rules.attributes.get(element)?.get(key);
  if (expected === undefined) refuse(`${element} has no attribute ${JSON.stringify(key).slice(0, 60)}`);
  if (!(content instanceof Y.ContentAny) || content.arr.length !== 1) refuse(`attribute ${key} must be one value`);
  const value: unknown = (content as Y.ContentAny).arr[0];
  checkValue(limits, `attribute ${element}.${key}`, expected, value);
  return value;
}

/** Checks a format item of a Y.XmlText: a known mark, and an attribute object of its declared attributes. */
export function checkMark(rules: SchemaRules, limits: UpdateLimits, key: string, value: unknown): void {
  // y-prosemirror names overlapping marks `<name>--<8-character hash>`.
  const name = /^(.*)--[a-zA-Z0-9+/=]{8}$/.exec(key)?.[1] ?? key;
  const declared: DeclaredAttributes | undefined = rules.marks.get(name);
  if (!declared) refuse(`unknown mark ${JSON.stringify(key).slice(0, 60)}`);
  // null removes the mark; `true` is how plain Yjs clients set a mark without attributes.
  if (value === null || value === true) return;
  if (typeof value !== 'object' || Array.isArray(value)) refuse(`mark ${name} must carry an attribute object`);
  for (const attr of Object.keys(value as Record<string, unknown>)) {
    const expected = declared!.get(attr);
    if (expected === undefined) refuse(`mark ${name} has no attribute ${JSON.stringify(attr).slice(0, 60)}`);
    checkValue(limits, `mark ${name}.${attr}`, expected, (value as Record<string, unknown>)[attr]);
  }
}

function checkValue(limits: UpdateLimits, what: string, expected: 'string' | 'number' | 'boolean' | null, value: unknown): void {
  if (value === null) return;
  if (expected !== null ? typeof value !== expected : !['string', 'number', 'boolean'].includes(typeof value)) refuse(`${what} has the wrong type`);
  if (typeof value === 'string' && value.length > limits.maxAttributeChars) refuse(`${what} is too long`);
}

/** Refuses an update the schema cannot read (the connection is closed with the reason). */
export function refuse(reason: string): never {
  throw new UpdateRefused(`update refused: ${reason}`);
}
