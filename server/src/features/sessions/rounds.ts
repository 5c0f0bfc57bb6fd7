import { RecordsKey } from '#shared/records';
import type * as Y from 'yjs';
import type { StanceRecord } from '#shared/objectives';
import type { Identity } from '#shared/protocol';
import {
  NO_ANSWER_REASON,
  latestAnswers,
  type ConsentRound,
  type RoundAnswer,
  type RoundAnswerValue,
  type RoundResult,
  type RoundTextAtClose,
} from '#shared/sessions';
import type { RoomManager } from '../../rooms/RoomManager';
import { newId } from '../../ids';
import type { TextReader } from '../../documents/textReader';
import { keepBasis } from '../../documents/stanceBases';
import { applyStances } from '../objectives/stances';
import { authorOf, logActivity, writeRecords } from '../../records/write';
import type { AgreementRecord } from '../../storage/port';
import { ErrorCode } from '#shared/errors';
import { badRequest, conflict, forbidden, notFound } from '../../errors';
import { activeSession, currentItem, runningSession, saveSession } from './sessionRecords';

function roundsMap(doc: Y.Doc): Y.Map<ConsentRound> {
  return doc.getMap<ConsentRound>(RecordsKey.consentRounds);
}

function openRound(doc: Y.Doc, sessionId: string, roundId: string): ConsentRound {
  const round = roundsMap(doc).get(roundId);
  if (!round || round.sessionId !== sessionId) throw notFound(ErrorCode.RoundNotFound, 'no such consent round in this session');
  if (round.status !== 'open') throw conflict(ErrorCode.SessionState, 'the round is closed');
  return round;
}

export interface AnswerInput {
  answer: RoundAnswerValue;
  reason?: string;
  /** The objective's hash as the negotiator read it; refused if the round is about other text. */
  contentHash?: string;
  /** The party the answer was chosen for (default: the asker's party now); refused if the asker no longer speaks for it. */
  party?: string;
}

/**
 * Consent rounds: the broker opens one on an objective, each party's negotiators answer
 * for their party, and closing it writes each party's answer as that party's attested
 * stance, bound to the objective's hash when the round opened. A party that did not
 * answer gets "not yet" with the reason {@link NO_ANSWER_REASON}: silence is never consent.
 */
export class RoundService {
  /**
   * The text each open round was opened on, for the stances' "what changed since". Kept in
   * memory only: after a restart a round edited mid-way closes without that basis.
   */
  private readonly openedOn = new Map<string, Uint8Array>();

  constructor(
    private readonly rooms: RoomManager,
    private readonly onAllAgreed: (agreementId: string, by: Identity) => void,
    private readonly text: TextReader,
  ) {}

  async open(agreement: AgreementRecord, me: Identity, sessionId: string, objectiveId?: string): Promise<ConsentRound> {
    const { objectives, state } = await this.text.objectivesAndState(agreement.id, me.personId);
    const opened = await writeRecords(this.rooms, agreement.id, (doc) => {
      const session = runningSession(doc, sessionId);
      if (session.openRoundId) throw conflict(ErrorCode.SessionState, 'a consent round is already open');
      const item = currentItem(session);
      const wanted = objectiveId ?? item?.objectiveId;
      if (!wanted) throw badRequest(ErrorCode.BadRequest, 'the current item is not an objective: name one in "objectiveId"');
      const objective = objectives.find((o) => o.id === wanted);
      if (!objective) throw notFound(ErrorCode.ObjectiveNotFound, 'no such objective in the text');
      const round: ConsentRound = {
        id: newId(),
        sessionId,
        itemId: session.currentItemId,
        objectiveId: objective.id,
        objectiveTitle: objective.title || 'Untitled objective',
        contentHash: objective.hash,
        // The minutes quote these: the text may be reworded before the session ends.
        wording: { intent: objective.intent, band: objective.band, trigger: objective.trigger },
        status: 'open',
        openedBy: authorOf(me),
        openedAt: new Date().toISOString(),
        answers: [],
      };
      roundsMap(doc).set(round.id, round);
      saveSession(doc, { ...session, openRoundId: round.id });
      logActivity(doc, round.openedBy, 'round.opened', `Consent round on “${round.objectiveTitle}”`);
      return round;
    });
    this.openedOn.set(opened.id, state);
    return opened;
  }

  answer(agreement: AgreementRecord, me: Identity, sessionId: string, roundId: string, input: AnswerInput): Promise<ConsentRound> {
    const party = me.party;
    if (!party || !agreement.parties.some((p) => p.id === party)) throw forbidden(ErrorCode.Forbidden, 'only a party’s negotiators answer for it');
    if (input.party !== undefined && input.party !== party) {
      throw forbidden(ErrorCode.WrongParty, 'you no longer speak for the party this answer was for, so it was not recorded');
    }
    const reason = input.reason?.trim() || undefined;
    if (input.answer !== 'agree' && !reason) throw badRequest(ErrorCode.ReasonRequired, 'an answer with reservations or an objection needs a reason');
    return writeRecords(this.rooms, agreement.id, (doc) => {
      runningSession(doc, sessionId);
      const round = openRound(doc, sessionId, roundId);
      if (input.contentHash !== undefined && input.contentHash !== round.contentHash) {
        throw conflict(ErrorCode.RoundObjectiveChanged, 'the round is about another version of the objective: read it again');
      }
      const answer = { party, answer: input.answer, ...(reason && input.answer !== 'agree' ? { reason } : {}), by: authorOf(me), at: new Date().toISOString() };
      // A person's new answer for a party replaces their earlier one: answering in a loop must not grow the
      // round (every browser holds it, and each answer rewrites it whole). The party's latest still counts
      // (a person moved to another party had their earlier answers withdrawn: personChanged).
      const earlier = (a: RoundAnswer) => a.by.personId === me.personId && a.party === party;
      const updated = { ...round, answers: [...round.answers.filter((a) => !earlier(a)), answer] };
      roundsMap(doc).set(round.id, updated);
      return updated;
    });
  }

  /**
   * A person was revoked or changed role or party: their answers in the open round were given for a party they no
   * longer speak for, and a round's answers become that party's attested stances only when it closes, so they are
   * withdrawn (the party reads as waiting again, or as a colleague's answer). Answers already closed into stances stay.
   */
  async personChanged(agreementId: string, personId: string): Promise<void> {
    await writeRecords(this.rooms, agreementId, (doc) => {
      const session = activeSession(doc);
      const round = session?.openRoundId ? roundsMap(doc).get(session.openRoundId) : undefined;
      if (round?.status !== 'open' || !round.answers.some((a) => a.by.personId === personId)) return;
      roundsMap(doc).set(round.id, { ...round, answers: round.answers.filter((a) => a.by.personId !== personId) });
    });
  }

  async close(agreement: AgreementRecord, me: Identity, sessionId: string, roundId: string): Promise<ConsentRound> {
    const { objectives, state } = await this.text.objectivesAndState(agreement.id, me.personId);
    const by = authorOf(me);
    const { round, allAgreed } = await writeRecords(this.rooms, agreement.id, (doc) => {
      const session = runningSession(doc, sessionId);
      const open = openRound(doc, sessionId, roundId);
      const now = objectives.find((o) => o.id === open.objectiveId);
      const textAtClose: RoundTextAtClose | undefined = !now ? 'removed' : now.hash !== open.contentHash ? 'edited' : undefined;
      const closedAt = new Date().toISOString();
      const answers = latestAnswers(open);
      const results: RoundResult[] = agreement.parties.map((p) => {
        const a = answers.get(p.id);
        return a ? { party: p.id, answer: a.answer, ...(a.reason ? { reason: a.reason } : {}), by: a.by, at: a.at } : { party: p.id, answer: 'no_answer' };
      });
      const ref = { sessionId, roundId };
      const stances: StanceRecord[] = results.map((r) =>
        r.answer === 'no_answer'
          ? {
              objectiveId: open.objectiveId,
              party: r.party,
              stance: 'not_yet',
              reason: NO_ANSWER_REASON,
              contentHash: open.contentHash,
              by,
              at: closedAt,
              round: ref,
            }
          : {
              objectiveId: open.objectiveId,
              party: r.party,
              stance: r.answer,
              ...(r.reason ? { reason: r.reason } : {}),
              contentHash: open.contentHash,
              by: r.by!,
              at: r.at!,
              round: ref,
            },
      );
      const allAgreed = applyStances(doc, agreement, objectives, stances, open.objectiveTitle);
      const closed: ConsentRound = { ...open, status: 'closed', closedBy: by, closedAt, results, ...(textAtClose ? { textAtClose } : {}) };
      roundsMap(doc).set(closed.id, closed);
      saveSession(doc, { ...session, openRoundId: null });
      logActivity(doc, by, 'round.closed', `Consent round on “${open.objectiveTitle}” closed`);
      return { round: closed, allAgreed };
    });
    if (allAgreed) this.onAllAgreed(agreement.id, me);
    // The text the stances were given on: now's, unless the objective was edited during the round.
    const basis = round.textAtClose ? this.openedOn.get(round.id) : state;
    this.openedOn.delete(round.id);
    if (basis) await keepBasis(this.rooms, agreement.id, round.objectiveId, round.contentHash, basis);
    return round;
  }
}
