import { randomBytes } from 'node:crypto';

/** A random URL-safe id (no '.' or '/', so it can be part of a room name). */
export function newId(bytes = 9): string {
  return randomBytes(bytes).toString('base64url');
}
