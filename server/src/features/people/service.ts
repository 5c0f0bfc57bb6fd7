import { DEFAULT_LINK_DAYS, DEFAULT_MAX_PEOPLE, MAX_LINKS_KEPT_PER_PERSON, type LinkResponse, type PersonView } from '#shared/access';
import { ACCESS_REVOKED_REASON, CloseCode, type Identity } from '#shared/protocol';
import { ROLE_LABELS, type Role } from '#shared/roles';
import { ErrorCode } from '#shared/errors';
import type { AuditLog, AuditPerson } from '../audit/service';
import type { AgreementEventBus } from '../../events';
import { badRequest, conflict, notFound } from '../../errors';
import type { AgreementRecord, PersonChange, PersonRecord, PersonUpdate, Storage } from '../../storage/port';
import { newId } from '../../ids';
import { activeLinks, type AccessService } from '../../auth/AccessService';

export interface InviteInput {
  role: Role;
  name: string;
  party?: string;
  expiresInDays?: number | null;
}

/**
 * What a broker does with people: invite, revoke, re-issue links, change roles, list. Free of
 * HTTP: callers check that the asker is a broker; this checks the agreement's own rules.
 */
export class PeopleService {
  constructor(
    private readonly storage: Storage,
    private readonly access: AccessService,
    private readonly audit: AuditLog,
    private readonly events: AgreementEventBus,
    private readonly maxPeople = DEFAULT_MAX_PEOPLE,
  ) {}

  async invite(me: Identity, agreement: AgreementRecord, input: InviteInput): Promise<LinkResponse & { person: PersonRecord }> {
    const party = checkParty(agreement, input.role, input.party);
    // Every request reads the agreement's people and every page lists them: 60 invitations a minute, unbounded, made it
    // 86,400 a day. Requests at the same moment may pass one or two over; the rate limit bounds that.
    if (agreement.people.length >= this.maxPeople) {
      throw conflict(
        ErrorCode.TooManyPeople,
        `this agreement lists ${agreement.people.length} people, the most it holds (revoked people stay listed): give someone listed a new link instead`,
      );
    }
    const link = this.access.newLink(days(input.expiresInDays));
    const person: PersonRecord = {
      id: newId(),
      name: input.name,
      role: input.role,
      ...(party ? { party } : {}),
      invitedAt: link.issuedAt,
      invitedBy: { personId: me.personId, name: me.name },
      links: [link],
    };
    await this.storage.addPerson(agreement.id, person);
    await this.audit.record(agreement.id, 'invite.created', `Invited ${describe(agreement, person)}; link ${expiryText(link.expiresAt)}`, me, subject(person));
    return { ...(await this.access.linkFor(agreement.id, person.id, link)), person };
  }

  /** Revokes every link of a person; their open connections close at once. */
  async revoke(me: Identity, agreement: AgreementRecord, personId: string): Promise<void> {
    const now = new Date().toISOString();
    const revoked: PersonChange = (person, latest) => {
      if (person.revokedAt) return undefined;
      // Against the people as stored now: two brokers revoking each other at once leave one.
      if (person.role === 'broker') keepABroker(latest, person.id);
      return { ...person, revokedAt: now, links: revokeAll(person.links, now) };
    };
    const { before, after, agreement: stored } = await this.update(agreement.id, personId, revoked);
    if (!after) return;
    this.access.connections.close(agreement.id, personId, CloseCode.AccessEnded, ACCESS_REVOKED_REASON);
    this.events.emit('person.changed', { agreementId: agreement.id, personId, revoked: true });
    await this.audit.record(agreement.id, 'person.revoked', `Revoked ${describe(stored, before)}`, me, subject(before));
  }

  /** Revokes one link of a person. */
  async revokeLink(me: Identity, agreement: AgreementRecord, personId: string, linkId: string): Promise<void> {
    const now = new Date().toISOString();
    const linkRevoked: PersonChange = (person) => {
      const link = person.links?.find((l) => l.id === linkId);
      if (!link) throw notFound(ErrorCode.LinkNotFound, 'no such link');
      if (link.revokedAt) return undefined;
      return { ...person, links: person.links!.map((l) => (l.id === linkId ? { ...l, revokedAt: now } : l)) };
    };
    const { before, after, agreement: stored } = await this.update(agreement.id, personId, linkRevoked);
    if (!after) return;
    this.access.connections.close(agreement.id, personId, CloseCode.AccessEnded, 'this link was revoked', linkId);
    await this.audit.record(agreement.id, 'link.revoked', `Revoked a link of ${describe(stored, before)}`, me, subject(before));
  }

  /** A new link for a person: their earlier links are revoked, and a revoked person is let back in. */
  async reissue(me: Identity, agreement: AgreementRecord, personId: string, expiresInDays: number | null | undefined): Promise<LinkResponse> {
    const now = new Date().toISOString();
    const link = this.access.newLink(days(expiresInDays));
    const reissued: PersonChange = (person) => {
      const { revokedAt: _reinstated, ...rest } = person;
      // The oldest are forgotten past the cap: each is revoked, and a forgotten one is refused as unknown.
      return { ...rest, links: [...(revokeAll(person.links, now) ?? []), link].slice(-MAX_LINKS_KEPT_PER_PERSON) };
    };
    const { before, agreement: stored } = await this.update(agreement.id, personId, reissued);
    // Connections opened with an older link end; the new link is the only way in.
    this.access.connections.close(agreement.id, personId, CloseCode.AccessEnded, 'a new link replaced this one');
    await this.audit.record(agreement.id, 'link.reissued', `New link for ${describe(stored, before)}; link ${expiryText(link.expiresAt)}`, me, subject(before));
    return this.access.linkFor(agreement.id, personId, link);
  }

  /** Changes a person's role (and party); their open connections reconnect with the new rights. */
  async changeRole(me: Identity, agreement: AgreementRecord, personId: string, role: Role, party: string | undefined): Promise<PersonView> {
    const changed: PersonChange = (person, latest) => {
      if (person.revokedAt) throw conflict(ErrorCode.PersonRevoked, 'this person was revoked: give them a new link first');
      const newParty = checkParty(latest, role, party ?? (role === 'negotiator' ? person.party : undefined));
      if (person.role === role && person.party === newParty) return undefined;
      if (person.role === 'broker' && role !== 'broker') keepABroker(latest, person.id);
      const { party: _old, ...rest } = person;
      return { ...rest, role, ...(newParty ? { party: newParty } : {}) };
    };
    const { before, after, agreement: stored } = await this.update(agreement.id, personId, changed);
    if (!after) return this.view(stored, before, true);
    this.access.connections.close(agreement.id, personId, CloseCode.AccessChanged, 'your role changed');
    this.events.emit('person.changed', { agreementId: agreement.id, personId, revoked: false });
    await this.audit.record(
      agreement.id,
      'role.changed',
      `${before.name}: ${describeRole(stored, before)} → ${describeRole(stored, after)}`,
      me,
      subject(after),
    );
    return this.view(stored, after, true);
  }

  /**
   * Changes a person as one atomic step against the record as stored now, not as this request
   * read it (another request may have changed them since): 404 when they are not in the agreement.
   */
  private async update(agreementId: string, personId: string, change: PersonChange): Promise<PersonUpdate> {
    const update = await this.storage.updatePerson(agreementId, personId, change);
    if (!update) throw notFound(ErrorCode.PersonNotFound, 'no such person in this agreement');
    return update;
  }

  /** Everyone invited; brokers also see who invited whom and their links. */
  list(me: Identity, agreement: AgreementRecord): PersonView[] {
    return agreement.people.map((p) => this.view(agreement, p, me.role === 'broker'));
  }

  private view(agreement: AgreementRecord, person: PersonRecord, full: boolean): PersonView {
    const lastSeenAt = this.access.lastSeen(agreement.id, person);
    const base: PersonView = {
      id: person.id,
      name: person.name,
      role: person.role,
      ...(person.party && person.role === 'negotiator' ? { party: person.party } : {}),
      invitedAt: person.invitedAt,
      ...(lastSeenAt ? { lastSeenAt } : {}),
      revoked: person.revokedAt !== undefined,
    };
    if (!full) return base;
    const now = Date.now();
    const active = new Set(activeLinks(person, now).map((l) => l.id));
    return {
      ...base,
      ...(person.invitedBy ? { invitedBy: person.invitedBy } : {}),
      links: [...(person.links ?? [])].reverse().map((l) => ({ ...l, active: active.has(l.id) })),
      // A person from before links were kept holds one token the server cannot see.
      linksOutstanding: person.links === undefined ? (person.revokedAt ? 0 : 1) : active.size,
    };
  }
}

function subject(person: PersonRecord): AuditPerson {
  return { personId: person.id, name: person.name, role: person.role };
}

function days(requested: number | null | undefined): number | null {
  return requested === undefined ? DEFAULT_LINK_DAYS : requested;
}

/** Only negotiators belong to a party (a caucus is its negotiators' alone); each negotiator to one. */
function checkParty(agreement: AgreementRecord, role: Role, party: string | undefined): string | undefined {
  if (role !== 'negotiator') {
    if (party !== undefined) throw badRequest(ErrorCode.PartyNotAllowed, 'only negotiators belong to a party: leave "party" out for this role');
    return undefined;
  }
  if (party === undefined) throw badRequest(ErrorCode.PartyRequired, 'a negotiator speaks for a party: give "party"');
  if (!agreement.parties.some((p) => p.id === party)) throw badRequest(ErrorCode.UnknownParty, 'no such party in this agreement');
  return party;
}

/** An agreement nobody can manage is lost: the last broker cannot be revoked or demoted (checked on the people as stored, inside the change). */
function keepABroker(agreement: AgreementRecord, leaving: string): void {
  const others = agreement.people.filter((p) => p.role === 'broker' && !p.revokedAt && p.id !== leaving);
  if (others.length === 0) throw conflict(ErrorCode.LastBroker, 'the agreement must keep at least one broker: invite another broker first');
}

function revokeAll(links: PersonRecord['links'], at: string): PersonRecord['links'] {
  return links?.map((l) => (l.revokedAt ? l : { ...l, revokedAt: at }));
}

function describeRole(agreement: AgreementRecord, person: Pick<PersonRecord, 'role' | 'party'>): string {
  const party = agreement.parties.find((p) => p.id === person.party);
  return party ? `${ROLE_LABELS[person.role]} for ${party.name}` : ROLE_LABELS[person.role];
}

function describe(agreement: AgreementRecord, person: PersonRecord): string {
  return `${person.name} (${describeRole(agreement, person)})`;
}

function expiryText(expiresAt: string | null): string {
  return expiresAt === null ? 'never expires' : `expires ${expiresAt.slice(0, 10)}`;
}
