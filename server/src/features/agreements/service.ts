import { ErrorCode } from '#shared/errors';
import { partyColor } from '#shared/colors';
import {
  agreementPath,
  type AgreementSummary,
  type AgreementView,
  type CreateAgreementRequest,
  type CreateAgreementResponse,
  type Identity,
  type InviteRequest,
  type InviteResponse,
} from '#shared/protocol';
import { isValidId } from '#shared/rooms';
import type { PersonSummary } from '#shared/threads';
import type { TokenService } from '../../auth/tokens';
import { badRequest, notFound } from '../../errors';
import { newId } from '../../ids';
import type { RoomManager } from '../../rooms/RoomManager';
import type { AgreementRecord, Storage } from '../../storage/port';
import { applyTemplate } from './template';

export function summarize(record: AgreementRecord): AgreementSummary {
  return {
    id: record.id,
    title: record.title,
    createdAt: record.createdAt,
    parties: record.parties.map((p, i) => ({ ...p, color: partyColor(i) })),
  };
}

/** Creating agreements, finding them, and inviting people into them. */
export class AgreementService {
  constructor(
    private readonly storage: Storage,
    private readonly tokens: TokenService,
    private readonly rooms: RoomManager,
  ) {}

  /** A new agreement with its parties and its text's template; the creator becomes its broker. */
  async create(request: CreateAgreementRequest): Promise<CreateAgreementResponse> {
    const { title, parties = [], creatorName = 'Broker' } = request;
    const now = new Date().toISOString();
    const personId = newId();
    const record: AgreementRecord = {
      id: newId(),
      title: title.trim(),
      createdAt: now,
      parties: parties.map((p) => ({ id: newId(6), name: p.name.trim(), sector: p.sector })),
      people: [{ id: personId, name: creatorName.trim(), role: 'broker', invitedAt: now }],
    };
    await this.storage.createAgreement(record);
    await applyTemplate(this.rooms, record.id, record.title, request.template ?? 'blank');
    const token = await this.tokens.sign({ agreementId: record.id, role: 'broker', name: creatorName.trim(), personId });
    return { ...summarize(record), token, url: agreementPath(record.id, token) };
  }

  /** Finds an agreement, or 404. */
  async find(id: string): Promise<AgreementRecord> {
    const record = isValidId(id) ? await this.storage.getAgreement(id) : undefined;
    if (!record) throw notFound(ErrorCode.AgreementNotFound, 'no such agreement');
    return record;
  }

  view(agreement: AgreementRecord, me: Identity): AgreementView {
    return { ...summarize(agreement), me };
  }

  /** Everyone invited, for `@` mentions. */
  people(agreement: AgreementRecord): PersonSummary[] {
    return agreement.people.map((p) => ({ id: p.id, name: p.name, role: p.role, ...(p.party ? { party: p.party } : {}) }));
  }

  /** Adds a person and signs their token; a negotiator must speak for one of the agreement's parties. */
  async invite(agreement: AgreementRecord, request: InviteRequest): Promise<InviteResponse> {
    const { role, party } = request;
    const name = request.name.trim();
    if (party !== undefined && !agreement.parties.some((p) => p.id === party)) throw badRequest(ErrorCode.UnknownParty, 'no such party in this agreement');
    if (role === 'negotiator' && party === undefined) throw badRequest(ErrorCode.PartyRequired, 'a negotiator speaks for a party: give "party"');
    const personId = newId();
    await this.storage.addPerson(agreement.id, { id: personId, name, role, party, invitedAt: new Date().toISOString() });
    const token = await this.tokens.sign({ agreementId: agreement.id, role, name, personId, party });
    return { token, url: agreementPath(agreement.id, token), role, name, ...(party ? { party } : {}) };
  }
}
