/**
 * Whether this device has held a large copy of a room's text (one applied in pieces). The
 * connection waits for such a copy to load first (openSession): its sync request then names all
 * the copy holds, and the server does not send the whole text again. Waiting for IndexedDB on
 * every open would put its opening on the critical path of every first visit; a copy only grows,
 * so a hint written once it is large is enough.
 */
const key = (room: string) => `cg:large-copy:${room}`;
/** How many structs the text held when this device last counted (copyStructs). */
const structsKey = (room: string) => `cg:copy-structs:${room}`;

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
    else {
      localStorage.removeItem(key(room));
      localStorage.removeItem(structsKey(room));
    }
  } catch {
    // Storage refused (private mode, full): the connection just does not wait.
  }
}

/**
 * The structs this device's copy of the text held when last counted (on leaving the page, or once in
 * sync), if it was: what applying the copy costs goes with them, not with its bytes (piecewiseSync.ts).
 * The copy holds what the page held then and what came since; a count that is off only decides whether
 * the copy is applied whole or in pieces.
 */
export function copyStructs(room: string): number | undefined {
  try {
    const counted = Number.parseInt(localStorage.getItem(structsKey(room)) ?? '', 10);
    return Number.isSafeInteger(counted) && counted >= 0 ? counted : undefined;
  } catch {
    return undefined;
  }
}

export function noteCopyStructs(room: string, structs: number): void {
  try {
    localStorage.setItem(structsKey(room), String(structs));
  } catch {
    // Storage refused: the next visit goes by the copy's bytes.
  }
}
