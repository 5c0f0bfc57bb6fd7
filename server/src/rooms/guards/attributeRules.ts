import * as Y from 'yjs';
import type { UpdateLimits } from './limits';
import { attributeProblem, markProblem, type SchemaRules } from './schemaRules';
import { UpdateRefused } from './updateCost';

/**
 * The update gate's checks of a node's attributes and a mark's, by the schema's rules
 * (schemaRules.ts, shared with suggested blocks): a refused one refuses the whole update.
 */

/** Checks an element's attribute (one item of the element's map) against the schema; answers its value. */
export function checkAttribute(rules: SchemaRules, limits: UpdateLimits, element: string, key: string, content: Y.Item['content']): unknown {
  if (!rules.attributes.get(element)?.has(key)) refuse(`${element} has no attribute ${JSON.stringify(key).slice(0, 60)}`);
  if (!(content instanceof Y.ContentAny) || content.arr.length !== 1) refuse(`attribute ${key} must be one value`);
  const value: unknown = (content as Y.ContentAny).arr[0];
  const problem = attributeProblem(rules, element, key, value, limits.maxAttributeChars);
  if (problem) refuse(problem);
  return value;
}

/** Checks a format item of a Y.XmlText: a known mark, and an attribute object of its declared attributes. */
export function checkMark(rules: SchemaRules, limits: UpdateLimits, key: string, value: unknown): void {
  // y-prosemirror names overlapping marks `<name>--<8-character hash>`.
  const name = /^(.*)--[a-zA-Z0-9+/=]{8}$/.exec(key)?.[1] ?? key;
  const problem = markProblem(rules, name, value, limits.maxAttributeChars);
  if (problem) refuse(problem);
}

/** Refuses an update the schema cannot read (the connection is closed with the reason). */
export function refuse(reason: string): never {
  throw new UpdateRefused(`${reason}`);
}
