import { decodeJwt } from 'jose';
import { isValidId } from '#shared/rooms';

/**
 * The name of this device's copy of an agreement's text (y-indexeddb's database): one copy per
 * person. Two people may open the same agreement in one browser (a shared office laptop): with one
 * copy for both, what the first left unsent was sent by the second, and the server declines another
 * person's writing, so it was lost. Apart, each person's unsent edits wait for that person's return.
 *
 * The person is the token's subject, read without checking it: the name only keeps copies apart on
 * this device; it is the server that checks the token. A token that names no one keeps the copy
 * every person shared before ({@link sharedDeviceCopyName}).
 */
export function deviceCopyName(room: string, token: string): string {
  const person = personOf(token);
  return person ? `cg:${room}:${person}` : sharedDeviceCopyName(room);
}

/** The one copy of a text this device kept for everyone before copies were per person. */
export function sharedDeviceCopyName(room: string): string {
  return `cg:${room}`;
}

function personOf(token: string): string | null {
  try {
    const { sub } = decodeJwt(token);
    return typeof sub === 'string' && isValidId(sub) ? sub : null;
  } catch {
    return null;
  }
}
