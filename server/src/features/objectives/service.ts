import { checkCompleteness, type Completeness } from '#shared/completeness';
import { ErrorCode } from '#shared/errors';
import {
  STANCE_LABELS,
  objectiveStanding,
  partyStatuses,
  stanceNeedsReason,
  summarizeStandings,
  type StanceCall,
  type StanceRecord,
  type StanceValue,
} from '#shared/objectives';
import type { Identity } from '#shared/protocol';
import { RecordsKey } from '#shared/records';
import { shownDelivery, type QuickWinDelivery } from '#shared/quickWinDelivery';
import { recordsRoom } from '#shared/rooms';
import type { AgreementEventBus } from '../../events';
import { badRequest, conflict, forbidden, notFound } from '../../errors';
import type { HashedObjective } from '../../documents/documentReader';
import type { TextReader } from '../../documents/textReader';
import { keepBasis } from '../../documents/stanceBases';
import { authorOf, logActivity, readRoom, writeRecords } from '../../records/write';
import type { RoomManager } from '../../rooms/RoomManager';
import type { AgreementRecord } from '../../storage/port';
import { applyStances } from './stances';
import { markDelivered, type DeliveryAnswer } from './delivery';

export interface StanceRequest {
  stance: StanceValue;
  reason?: string;
  party?: string;
  contentHash?: string;
}

/** The objectives in the text, each party's stance on each, and how complete the agreement is. */
export class ObjectiveService {
  constructor(
    private readonly rooms: RoomManager,
    private readonly events: AgreementEventBus,
    private readonly text: TextReader,
  ) {}

  /** Every objective with its standing (and a quick win its delivery), and a summary. */
  async list(agreement: AgreementRecord, forPerson: string) {
    const parties = agreement.parties.map((p) => p.id);
    const objectives = await this.text.objectives(agreement.id, forPerson);
    const { stances, calls, deliveries } = await readRoom(this.rooms, recordsRoom(agreement.id), (doc) => ({
      stances: doc.getMap<StanceRecord>(RecordsKey.stances).toJSON() as Record<string, StanceRecord>,
      calls: doc.getMap<StanceCall>(RecordsKey.stanceCalls).toJSON() as Record<string, StanceCall>,
      deliveries: doc.getMap<QuickWinDelivery>(RecordsKey.quickWinDeliveries).toJSON() as Record<string, QuickWinDelivery>,
    }));
    const listed = objectives.map(({ canonical: _canonical, ...o }) => {
      const statuses = partyStatuses(o.id, o.hash, parties, (k) => stances[k]);
      const stancesOf = Object.fromEntries(parties.flatMap((p) => (stances[`${o.id}:${p}`] ? [[p, stances[`${o.id}:${p}`]]] : [])));
      const delivered = shownDelivery(o, deliveries);
      return {
        ...o,
        statuses,
        ...objectiveStanding(statuses, parties),
        stances: stancesOf,
        ...(calls[o.id] ? { call: calls[o.id] } : {}),
        ...(delivered ? { delivered: { by: delivered.by, at: delivered.at } } : {}),
      };
    });
    return { objectives: listed, summary: summarizeStandings(listed) };
  }

  /** Template parts still missing or only a prompt, and objectives with empty fields. */
  async completeness(agreement: AgreementRecord, forPerson: string): Promise<Completeness> {
    return checkCompleteness(await this.text.document(agreement.id, forPerson), agreement.parties);
  }

  /**
   * Records the asker's party's stance on an objective, tied to the objective's current
   * text; announces `objectives.allAgreed` when it makes every party agree to everything.
   */
  async stateStance(me: Identity, agreement: AgreementRecord, objectiveId: string, request: StanceRequest): Promise<StanceRecord> {
    const { stance, party = me.party, contentHash } = request;
    const reason = request.reason?.trim() || undefined;
    if (!me.party) throw forbidden(ErrorCode.Forbidden, 'only a negotiator can state a party’s stance');
    if (party !== me.party) throw forbidden(ErrorCode.WrongParty, 'you can state only your own party’s stance');
    if (stanceNeedsReason(stance) && !reason) throw badRequest(ErrorCode.ReasonRequired, `“${STANCE_LABELS[stance]}” needs a reason`);
    const { objective, all, state } = await this.find(agreement.id, objectiveId, me.personId);
    if (contentHash !== undefined && contentHash !== objective.hash) {
      throw conflict(ErrorCode.ObjectiveChanged, 'the objective was edited since you read it: read it again before stating your stance');
    }
    const myParty = me.party;
    const record: StanceRecord = {
      objectiveId: objective.id,
      party: myParty,
      stance,
      ...(reason && stance !== 'agree' ? { reason } : {}),
      contentHash: objective.hash,
      by: authorOf(me),
      at: new Date().toISOString(),
    };
    const nowAllAgreed = await writeRecords(this.rooms, agreement.id, (doc) => applyStances(doc, agreement, all, [record]));
    if (nowAllAgreed) this.events.emit('objectives.allAgreed', { agreementId: agreement.id, by: me });
    // The text the stance was stated on, for "what changed since"; the stance itself is already recorded.
    await keepBasis(this.rooms, agreement.id, objective.id, objective.hash, state);
    return record;
  }

  /** Marks a quick win delivered, or not after all (records only: `delivery.ts`). */
  markDelivered(me: Identity, agreement: AgreementRecord, objectiveId: string, delivered: boolean): Promise<DeliveryAnswer> {
    return markDelivered(this.rooms, this.text, me, agreement, objectiveId, delivered);
  }

  /** The broker asks every party for its stance on an objective. */
  async callForStances(me: Identity, agreement: AgreementRecord, objectiveId: string): Promise<StanceCall> {
    const { objective } = await this.find(agreement.id, objectiveId, me.personId);
    const call: StanceCall = { objectiveId: objective.id, by: authorOf(me), at: new Date().toISOString() };
    await writeRecords(this.rooms, agreement.id, (doc) => {
      doc.getMap<StanceCall>(RecordsKey.stanceCalls).set(objective.id, call);
      logActivity(doc, call.by, 'stances.called', `Stances called for on “${objective.title || 'untitled objective'}”`);
    });
    return call;
  }

  /** The objective as the text stands now, with the state it was read from (the basis a stance is stated on). */
  private async find(
    agreementId: string,
    objectiveId: string,
    forPerson: string,
  ): Promise<{ objective: HashedObjective; all: HashedObjective[]; state: Uint8Array }> {
    const { objectives: all, state } = await this.text.objectivesAndState(agreementId, forPerson);
    const objective = all.find((o) => o.id === objectiveId);
    if (!objective) throw notFound(ErrorCode.ObjectiveNotFound, 'no such objective in this agreement');
    return { objective, all, state };
  }
}
