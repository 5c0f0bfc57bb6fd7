import type { Role } from './roles';

/**
 * People and their access links. A link is a signed token naming a person and a link id
 * (`jti`); the server keeps every link it issued, so a link can expire, be revoked, or be
 * replaced, and the person's role is read from the server, never from the token.
 */

/** Days an invitation link stays valid unless the broker picks otherwise. */
export const DEFAULT_LINK_DAYS = 30;
/** Longest validity a broker may give a link, in days (null means no expiry). */
export const MAX_LINK_DAYS = 365;
/** People one agreement lists, revoked ones included (they stay, credited with what they wrote); more invitations are refused (409). */
export const DEFAULT_MAX_PEOPLE = 1000;
/** Links kept on a person: a new one past it forgets their oldest (revoked by then: a new link revokes the earlier ones). */
export const MAX_LINKS_KEPT_PER_PERSON = 20;

/** Why a token opens nothing; the API answers 401 with this as `code`, so the client can say what to do. */
export type AccessDenial = 'invalid' | 'expired' | 'revoked';

/** One access link of a person, as a broker sees it (never the token itself). */
export interface LinkSummary {
  id: string;
  issuedAt: string;
  /** ISO time, or null for a link that never expires. */
  expiresAt: string | null;
  revokedAt?: string;
  /** Usable now: neither revoked nor expired. */
  active: boolean;
}

/** One person of an agreement, as `GET /api/agreements/:id/people` lists them. */
export interface PersonView {
  id: string;
  name: string;
  role: Role;
  party?: string;
  invitedAt: string;
  /** Last time any link of theirs was used (a request or a connection); absent when never. */
  lastSeenAt?: string;
  /** The broker revoked this person: none of their links opens the agreement. */
  revoked: boolean;
  /** Brokers only: who invited them. */
  invitedBy?: { personId: string; name: string };
  /** Brokers only: their links, newest first. */
  links?: LinkSummary[];
  /** Brokers only: how many of their links are usable now. */
  linksOutstanding?: number;
}

export interface PeopleResponse {
  people: PersonView[];
}

/** `POST …/people/:personId/links`: a new link for a person, whose earlier links are revoked. */
export interface ReissueRequest {
  expiresInDays?: number | null;
}

export interface LinkResponse {
  token: string;
  url: string;
  /** ISO time, or null for a link that never expires. */
  expiresAt: string | null;
}

/** `PATCH …/people/:personId`: a new role (and party, which only negotiators have). */
export interface ChangeRoleRequest {
  role: Role;
  party?: string;
}

/** One line of an agreement's audit log, written by the server alone. */
export interface AuditEntry {
  at: string;
  /** e.g. 'person.joined', 'person.left', 'invite.created', 'person.revoked', 'link.revoked', 'link.reissued', 'role.changed', 'phase.changed', 'export.downloaded'. */
  kind: string;
  /** Who did it (absent for the server's own doing). */
  by?: { personId: string; name: string; role: Role };
  /** Whom it concerned, where it concerns a person. */
  subject?: { personId: string; name: string; role: Role };
  /** Human-readable detail. */
  detail: string;
}

/** When a link issued at `from` for `days` days expires (null: never). */
export function linkExpiry(from: Date, days: number | null): string | null {
  return days === null ? null : new Date(from.getTime() + days * 86_400_000).toISOString();
}
