import { NEUTRAL_COLOR } from '#shared/colors';
import type { AgreementView, PresenceUser } from '#shared/protocol';
import { ROLES } from '#shared/roles';

/** What this person tells the others about themselves (awareness field `user`). */
export function presenceUserFor(view: AgreementView): PresenceUser {
  const party = view.parties.find((p) => p.id === view.me.party);
  const user: PresenceUser = {
    name: view.me.name,
    color: party?.color ?? NEUTRAL_COLOR,
    role: view.me.role,
    personId: view.me.personId,
  };
  if (party) {
    user.party = party.id;
    user.partyName = party.name;
  }
  return user;
}

/** Awareness states come from other browsers: accept only well-formed users. */
export function asPresenceUser(value: unknown): PresenceUser | null {
  if (!value || typeof value !== 'object') return null;
  const v = value as Record<string, unknown>;
  if (typeof v.name !== 'string' || typeof v.color !== 'string' || typeof v.personId !== 'string') return null;
  if (typeof v.role !== 'string' || !(ROLES as readonly string[]).includes(v.role)) return null;
  const user: PresenceUser = {
    name: v.name.slice(0, 120),
    color: /^#[0-9a-fA-F]{6}$/.test(v.color) ? v.color : NEUTRAL_COLOR,
    role: v.role as PresenceUser['role'],
    personId: v.personId,
  };
  if (typeof v.party === 'string') user.party = v.party;
  if (typeof v.partyName === 'string') user.partyName = v.partyName.slice(0, 120);
  if (v.inCaucus === true) user.inCaucus = true;
  return user;
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * Two letters for an avatar: the first of the first and last words, or the first two of a single
 * word. Only letters and digits count, by code point: "Grace (broker)" is GB, not "G(", and a
 * character outside the BMP is never cut in half.
 */
export function initials(name: string): string {
  const words = name
    .trim()
    .split(/\s+/)
    .map((word) => [...word].filter((c) => LETTER_OR_DIGIT.test(c)))
    .filter((letters) => letters.length > 0);
  if (words.length === 0) return '?';
  const first = words[0][0];
  const last = words.length > 1 ? words[words.length - 1][0] : (words[0][1] ?? '');
  return (first + last).toUpperCase();
}
