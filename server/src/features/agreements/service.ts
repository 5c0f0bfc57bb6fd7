import { ErrorCode } from '#shared/errors';
import { partyColor } from '#shared/colors';
import { type AgreementSummary, type AgreementView, type CreateAgreementRequest, type CreateAgreementResponse, type Identity } from '#shared/protocol';
import { isValidId } from '#shared/rooms';
import type { AccessService } from '../../auth/AccessService';
import { notFound, unavailable } from '../../errors';
import type { AuditLog } from '../audit/service';
import type { Ownership } from '../../cluster/ownership';
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

/** Creating agreements and finding them (people and their links: features/people). */
export class AgreementService {
  constructor(
    private readonly storage: Storage,
    private readonly access: AccessService,
    private readonly rooms: RoomManager,
    private readonly audit: AuditLog,
    private readonly ownership: Ownership,
  ) {}

  /** A new agreement with its parties and its text's template; the creator becomes its broker. */
  async create(request: CreateAgreementRequest): Promise<CreateAgreementResponse> {
    const { title, parties = [], creatorName = 'Broker' } = request;
    const now = new Date().toISOString();
    const personId = newId();
    // The creator's link never expires: an agreement must not lock out the broker who runs it.
    const link = this.access.newLink(null);
    const record: AgreementRecord = {
      id: newId(),
      title: title.trim(),
      createdAt: now,
      parties: parties.map((p) => ({ id: newId(6), name: p.name.trim(), sector: p.sector })),
      people: [{ id: personId, name: creatorName.trim(), role: 'broker', invitedAt: now, links: [link] }],
    };
    await this.storage.createAgreement(record);
    // Several instances: the one that creates an agreement takes its lease (nobody else knows it yet).
    if (!(await this.ownership.route(record.id)).local) throw unavailable('the new agreement is served elsewhere; open it again');
    await applyTemplate(this.rooms, record.id, record.title, request.template ?? 'blank');
    const { token, url } = await this.access.linkFor(record.id, personId, link);
    await this.audit.record(record.id, 'agreement.created', `Created "${record.title}"`, { personId, name: creatorName.trim(), role: 'broker' });
    return { ...summarize(record), token, url };
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
}
