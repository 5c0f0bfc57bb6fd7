/**
 * Whether this device has held a large copy of a room's text (one applied in pieces). The
 * connection waits for such a copy to load first (openSession): its sync request then names all
 * the copy holds, and the server does not send the whole text again. Waiting for IndexedDB on
 * every open would put its opening on the critical path of every first visit; a copy only grows,
 * so a hint written once it is large is enough.
 */
const key = (room: string) => `cg:large-copy:${room}`;

export function expectsLargeCopy(room: string): boolean {
  try {
    return localStorage.getItem(key(room)) === '1';
  } catch {
    return false;
  }
}

export function noteLargeCopy(room: string, large = true): void {
  try {
    if (large) localStorage.setItem(key(room), '1');
    else localStorage.removeItem(key(room));
  } catch {
    // Storage refused (private mode, full): the connection just does not wait.
  }
}
