import { DEFAULT_LINK_DAYS, linkExpiry, type AccessDenial, type LinkResponse } from '#shared/access';
import { agreementPath, type Identity } from '#shared/protocol';
import type { TokenService } from './tokens';
import type { AgreementRecord, LinkRecord, PersonRecord, Storage } from '../storage/port';
import { newId } from '../ids';
import type { ConnectionRegistry } from './connections';

export type Authentication =
  | { ok: true; identity: Identity; agreement: AgreementRecord; person: PersonRecord }
  | { ok: false; reason: AccessDenial | 'unknown-agreement'; /** The person is revoked, not only the link. */ personRevoked?: boolean };

/** Last-seen times are written at most this often per person: lowdb rewrites its whole file on each write. */
const LAST_SEEN_GRANULARITY_MS = 60_000;

/**
 * Who a token's bearer is, read from the server's own records: the token names a person and
 * a link, the stored person says role and party, so a revoked or expired link, or a new role,
 * takes effect on the next request and, through the registry, on open connections.
 */
export class AccessService {
  constructor(
    private readonly storage: Storage,
    private readonly tokens: TokenService,
    readonly connections: ConnectionRegistry,
  ) {}

  async authenticate(token: string | undefined): Promise<Authentication> {
    const checked = await this.tokens.verify(token);
    if (!checked.ok) return checked;
    const { agreementId, personId, linkId } = checked.claims;
    const agreement = await this.storage.getAgreement(agreementId);
    if (!agreement) return { ok: false, reason: 'unknown-agreement' };
    const person = agreement.people.find((p) => p.id === personId);
    if (!person) return { ok: false, reason: 'invalid' };
    const denial = linkDenial(person, linkId, Date.now());
    if (denial) return { ok: false, reason: denial, personRevoked: person.revokedAt !== undefined };
    this.touch(agreementId, person);
    return { ok: true, identity: identityOf(agreementId, person, linkId), agreement, person };
  }

  /** A new link record valid for `days` days (null: no expiry). */
  newLink(days: number | null = DEFAULT_LINK_DAYS): LinkRecord {
    const now = new Date();
    return { id: newId(), issuedAt: now.toISOString(), expiresAt: linkExpiry(now, days) };
  }

  /** The token and browser path of a person's link. */
  async linkFor(agreementId: string, personId: string, link: LinkRecord): Promise<LinkResponse> {
    const token = await this.tokens.sign({ agreementId, personId, linkId: link.id }, link.expiresAt, link.issuedAt);
    return { token, url: agreementPath(agreementId, token), expiresAt: link.expiresAt };
  }

  /** When the person was last seen: now while connected, else the stored time. */
  lastSeen(agreementId: string, person: PersonRecord): string | undefined {
    if (this.connections.isConnected(agreementId, person.id)) return new Date().toISOString();
    return person.lastSeenAt;
  }

  /**
   * Records the use, to the minute, on the person as stored when it is written, not as read for
   * this request: only the time changes, and a person revoked meanwhile is left alone, so a late
   * write never undoes a revocation or a role change.
   */
  private touch(agreementId: string, person: PersonRecord): void {
    const now = Date.now();
    if (seenSince(person, now)) return;
    const lastSeenAt = new Date(now).toISOString();
    const touched = (stored: PersonRecord) => (stored.revokedAt || seenSince(stored, now) ? undefined : { ...stored, lastSeenAt });
    void this.storage.updatePerson(agreementId, person.id, touched).catch(() => {
      // Best effort: a missed last-seen time is not worth failing a request for.
    });
  }
}

/** Whether a last-seen time within the granularity is stored already. */
function seenSince(person: PersonRecord, now: number): boolean {
  return person.lastSeenAt !== undefined && now - Date.parse(person.lastSeenAt) < LAST_SEEN_GRANULARITY_MS;
}

/** Why this person's link opens nothing, or null when it opens the agreement. */
export function linkDenial(person: PersonRecord, linkId: string | undefined, now: number): AccessDenial | null {
  if (person.revokedAt) return 'revoked';
  // People invited before links were kept hold a token without an id; it works until they get a link.
  if (person.links === undefined) return linkId === undefined ? null : 'invalid';
  const link = person.links.find((l) => l.id === linkId);
  if (!link) return 'invalid';
  if (link.revokedAt) return 'revoked';
  if (link.expiresAt !== null && Date.parse(link.expiresAt) <= now) return 'expired';
  return null;
}

/** When the link a token names expires (null: never, or a token from before links were kept). */
export function expiryOfLink(person: PersonRecord, linkId: string | undefined): string | null {
  return person.links?.find((l) => l.id === linkId)?.expiresAt ?? null;
}

/** Links usable now. */
export function activeLinks(person: PersonRecord, now = Date.now()): LinkRecord[] {
  return (person.links ?? []).filter((l) => linkDenial({ ...person, links: [l] }, l.id, now) === null);
}

function identityOf(agreementId: string, person: PersonRecord, linkId: string | undefined): Identity {
  return {
    agreementId,
    personId: person.id,
    name: person.name,
    role: person.role,
    // Only negotiators speak for a party; a party stored on anyone else (older data) grants nothing.
    ...(person.role === 'negotiator' && person.party ? { party: person.party } : {}),
    ...(linkId ? { linkId } : {}),
  };
}
