import type { AgreementView } from '#shared/protocol';
import type { Role } from '#shared/roles';

/**
 * Where the token lives, and why. A person's own token stays in localStorage under
 * `cg:token:<id>`: the app reopens an agreement after a browser restart and offline (service
 * worker shell, IndexedDB text, cached view), which session storage would defeat, and a cookie
 * would not fit (one token per agreement and person, sent to `/api/agreements/<id>` and to
 * `/collab/<id>.records`, which no cookie path covers; and it would need CSRF defences). What
 * makes localStorage risky is injected script: the server's CSP allows none, and a token that
 * leaks anyway is revocable and expires. Tokens of other people (links a broker makes) are
 * never stored: they are shown once, from memory. The list of agreements below holds no token.
 */

/** An agreement this browser holds a link (token) to. */
export interface HeldLink {
  id: string;
  title: string;
  /** Only in entries written before tokens moved to their own key. */
  token?: string;
  role: Role;
  name: string;
  /** ISO time this link was last opened or saved. */
  savedAt: string;
}

const LINKS_KEY = 'cg:links';
const VIEW_KEY = (id: string) => `cg:view:${id}`;
const TOKEN_KEY = (id: string) => `cg:token:${id}`;

function readAll(): Record<string, HeldLink> {
  try {
    const raw = localStorage.getItem(LINKS_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, HeldLink>) : {};
  } catch {
    return {};
  }
}

function writeAll(links: Record<string, HeldLink>): boolean {
  try {
    localStorage.setItem(LINKS_KEY, JSON.stringify(links));
    return true;
  } catch {
    return false;
  }
}

/** Most recently used first. */
export function listHeldLinks(): HeldLink[] {
  return Object.values(readAll()).sort((a, b) => b.savedAt.localeCompare(a.savedAt));
}

/** Stores or refreshes a link; returns false when storage is unavailable. */
export function saveHeldLink({ token, ...link }: Omit<HeldLink, 'savedAt'> & { token: string }): boolean {
  const all = readAll();
  all[link.id] = { ...link, savedAt: new Date().toISOString() };
  return writeAll(all) && saveToken(link.id, token);
}

/** Remembers the token for an agreement so the page reopens without the link's hash. */
export function saveToken(id: string, token: string): boolean {
  try {
    localStorage.setItem(TOKEN_KEY(id), token);
    return true;
  } catch {
    return false;
  }
}

export function heldToken(id: string): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY(id)) ?? readAll()[id]?.token ?? null;
  } catch {
    return null;
  }
}

export function forgetHeldLink(id: string): void {
  const all = readAll();
  delete all[id];
  writeAll(all);
  try {
    localStorage.removeItem(VIEW_KEY(id));
    localStorage.removeItem(TOKEN_KEY(id));
  } catch {
    // storage unavailable: nothing cached either
  }
}

/** Last agreement view seen, so the page can open while the server is unreachable. */
export function cacheView(view: AgreementView): void {
  try {
    localStorage.setItem(VIEW_KEY(view.id), JSON.stringify(view));
  } catch {
    // best effort
  }
}

export function cachedView(id: string, token: string): AgreementView | null {
  try {
    const raw = localStorage.getItem(VIEW_KEY(id));
    if (!raw) return null;
    const view = JSON.parse(raw) as AgreementView;
    // Only reuse it for the same person: a different token may carry a different role.
    return heldToken(id) === token ? view : null;
  } catch {
    return null;
  }
}

/** The person (`sub`) and issue time (`iat`) a token names, read without checking it: the server checks it. */
function claimsOf(token: string): { sub?: unknown; iat?: unknown } | null {
  try {
    const payload = token.split('.')[1] ?? '';
    const claims: unknown = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')));
    return claims && typeof claims === 'object' ? claims : null;
  } catch {
    return null;
  }
}

/** The link an agreement's page opens with; `offered`: another person's link, waiting for this person's choice. */
export interface LinkToOpen {
  token: string | null;
  offered?: string;
}

/**
 * Which link opens the agreement: the address bar's, unless this browser holds a link of another
 * person to it. Taken silently, a link a broker made and opened to try it replaced their own (shown
 * once, and the only key to their agreement), and a link sent to the wrong person took that person's
 * own away. Of two links of the same person the newer one opens: an old one opened again from an old
 * message would only show the access-ended page, which forgets the link held.
 */
export function linkToOpen(id: string): LinkToOpen {
  const fromHash = tokenFromHash();
  const held = heldToken(id);
  if (!fromHash || !held || fromHash === held) return { token: fromHash ?? held };
  const arriving = claimsOf(fromHash);
  const kept = claimsOf(held);
  if (arriving?.sub !== undefined && arriving.sub === kept?.sub) return { token: Number(arriving.iat) >= Number(kept.iat) ? fromHash : held };
  return { token: held, offered: fromHash };
}

/** Reads `#token=...` from the current location, if present. */
export function tokenFromHash(hash: string = window.location.hash): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('token');
  return token && token.length > 0 ? token : null;
}
