import { RecordsKey } from '#shared/records';
import type { Logger } from '../../log';
import type { Identity } from '#shared/protocol';
import { recordsRoom } from '#shared/rooms';
import { type AgendaItem, type AgendaItemInput, type LiveSession, type Minutes } from '#shared/sessions';
import type { RoomManager } from '../../rooms/RoomManager';
import { newId } from '../../ids';
import type { TextReader } from '../../documents/textReader';
import { authorOf, logActivity, readRoom, writeRecords } from '../../records/write';
import type { SnapshotService } from '../snapshots/service';
import type { AgreementRecord } from '../../storage/port';
import type { AttendanceTracker } from './attendance';
import { buildMinutes } from './minutes';
import { ErrorCode } from '#shared/errors';
import { badRequest, conflict, notFound } from '../../errors';
import { activeSession, findSession, runningSession, saveSession, sessionsMap, takenUpItem } from './sessionRecords';

/** Longest a caucus break may be called for. */
export const MAX_CAUCUS_MINUTES = 240;
/** Moves between items one session keeps (each is a record in it): far more than a day's meeting needs. */
export const MAX_VISITS = 500;

/**
 * Plans, runs and ends live sessions. Every command is one synchronous change of the
 * records room, checked inside it, so commands from two brokers apply in one order.
 */
export class SessionService {
  constructor(
    private readonly rooms: RoomManager,
    private readonly snapshots: SnapshotService,
    private readonly attendance: AttendanceTracker,
    private readonly log: Logger,
    private readonly text: TextReader,
  ) {}

  /** Every session of the agreement, oldest first. */
  list(agreementId: string): Promise<LiveSession[]> {
    return readRoom(this.rooms, recordsRoom(agreementId), (doc) => [...sessionsMap(doc).values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt)));
  }

  async plan(agreement: AgreementRecord, me: Identity, title: string, agenda: AgendaItemInput[]): Promise<LiveSession> {
    const items = await this.checkedAgenda(agreement.id, me.personId, agenda, []);
    return writeRecords(this.rooms, agreement.id, (doc) => {
      const active = activeSession(doc);
      if (active) throw conflict(ErrorCode.SessionState, `“${active.title}” is already ${active.status === 'running' ? 'running' : 'planned'}: end it first`);
      const session: LiveSession = {
        id: newId(),
        title,
        status: 'planned',
        agenda: items,
        createdBy: authorOf(me),
        createdAt: new Date().toISOString(),
        currentItemId: null,
        visits: [],
        hands: [],
        floor: null,
        caucus: null,
        openRoundId: null,
      };
      logActivity(doc, session.createdBy, 'session.planned', `Session planned: “${title}”`);
      return saveSession(doc, session);
    });
  }

  /** Replaces the agenda (reordered, edited, items added or removed); `version`, when given, must be the agenda's current one. */
  async setAgenda(
    agreement: AgreementRecord,
    me: Identity,
    sessionId: string,
    agenda: AgendaItemInput[],
    title?: string,
    version?: number,
  ): Promise<LiveSession> {
    const before = await readRoom(this.rooms, recordsRoom(agreement.id), (doc) => findSession(doc, sessionId));
    const items = await this.checkedAgenda(agreement.id, me.personId, agenda, before.agenda);
    return writeRecords(this.rooms, agreement.id, (doc) => {
      const session = findSession(doc, sessionId);
      if (session.status === 'ended') throw conflict(ErrorCode.SessionState, 'the session has ended');
      // Each console sends the whole agenda: one edited from an older copy would undo a co-broker's change unseen.
      const current = session.agendaVersion ?? 0;
      if (version !== undefined && version !== current) {
        throw conflict(
          ErrorCode.AgendaChanged,
          'another broker changed the agenda since you started editing it: discard your changes to see theirs, or save again to replace it with yours',
        );
      }
      if (session.currentItemId && !items.some((i) => i.id === session.currentItemId)) {
        throw conflict(ErrorCode.SessionState, 'the current item cannot be removed: move to another item first');
      }
      // The minutes are written item by item from the agenda: an item dropped after it was taken up took its time, rounds and decisions with it.
      const kept = takenUpItem(doc, session, items);
      if (kept) throw conflict(ErrorCode.SessionState, `“${kept.title}” was taken up or has records in this session: it stays on the agenda for the minutes`);
      return saveSession(doc, { ...session, agenda: items, agendaVersion: current + 1, ...(title ? { title } : {}) });
    });
  }

  async start(agreement: AgreementRecord, me: Identity, sessionId: string): Promise<LiveSession> {
    const started = await writeRecords(this.rooms, agreement.id, (doc) => {
      const session = findSession(doc, sessionId);
      if (session.status !== 'planned')
        throw conflict(ErrorCode.SessionState, session.status === 'running' ? 'the session is already running' : 'the session has ended');
      const first = session.agenda[0];
      if (!first) throw conflict(ErrorCode.SessionState, 'the agenda is empty: add an item first');
      const by = authorOf(me);
      const at = new Date().toISOString();
      logActivity(doc, by, 'session.started', `Session started: “${session.title}”`);
      return saveSession(doc, { ...session, status: 'running', startedAt: at, currentItemId: first.id, visits: [{ itemId: first.id, startedAt: at, by }] });
    });
    // Those already present joined at the start.
    await this.attendance.sessionStarted(agreement.id, started);
    return started;
  }

  /** Moves everyone to an item; moving to the current item changes nothing (two brokers pressing "next" agree). */
  moveTo(agreement: AgreementRecord, me: Identity, sessionId: string, itemId: string): Promise<LiveSession> {
    return writeRecords(this.rooms, agreement.id, (doc) => {
      const session = runningSession(doc, sessionId);
      if (!session.agenda.some((i) => i.id === itemId)) throw notFound(ErrorCode.AgendaItemNotFound, 'no such item on the agenda');
      if (session.currentItemId === itemId) return session;
      if (session.visits.length >= MAX_VISITS) throw conflict(ErrorCode.SessionState, `a session keeps at most ${MAX_VISITS} moves between items`);
      const visit = { itemId, startedAt: new Date().toISOString(), by: authorOf(me) };
      return saveSession(doc, { ...session, currentItemId: itemId, visits: [...session.visits, visit] });
    });
  }

  raiseHand(agreement: AgreementRecord, me: Identity, sessionId: string): Promise<LiveSession> {
    return writeRecords(this.rooms, agreement.id, (doc) => {
      const session = runningSession(doc, sessionId);
      if (session.hands.some((h) => h.personId === me.personId)) return session;
      const hand = { personId: me.personId, name: me.name, ...(me.party ? { party: me.party } : {}), at: new Date().toISOString() };
      return saveSession(doc, { ...session, hands: [...session.hands, hand] });
    });
  }

  /** Lowers a hand: one's own, or (a broker) anyone's. The caller checked which. */
  lowerHand(agreement: AgreementRecord, sessionId: string, personId: string): Promise<LiveSession> {
    return writeRecords(this.rooms, agreement.id, (doc) => {
      const session = runningSession(doc, sessionId);
      return saveSession(doc, { ...session, hands: session.hands.filter((h) => h.personId !== personId) });
    });
  }

  /** Gives the floor to a person (their hand comes down), or takes it back with `null`. */
  giveFloor(agreement: AgreementRecord, me: Identity, sessionId: string, personId: string | null): Promise<LiveSession> {
    const person = personId === null ? null : agreement.people.find((p) => p.id === personId);
    if (person === undefined) throw notFound(ErrorCode.PersonNotFound, 'no such person in this agreement');
    if (person?.revokedAt) throw conflict(ErrorCode.PersonRevoked, 'this person’s access was revoked: they cannot take the floor');
    return writeRecords(this.rooms, agreement.id, (doc) => {
      const session = runningSession(doc, sessionId);
      const floor = person && {
        personId: person.id,
        name: person.name,
        ...(person.party ? { party: person.party } : {}),
        at: new Date().toISOString(),
        by: authorOf(me),
      };
      return saveSession(doc, { ...session, floor, hands: session.hands.filter((h) => h.personId !== personId) });
    });
  }

  /**
   * A person was revoked or changed role or party: their raised hand (asked as they were) comes down, and a revoked
   * person loses the floor. Logged, never thrown: it runs after the change it follows has answered.
   */
  async personChanged(agreementId: string, personId: string, revoked: boolean): Promise<void> {
    try {
      await writeRecords(this.rooms, agreementId, (doc) => {
        const session = activeSession(doc);
        if (session?.status !== 'running') return;
        const hands = session.hands.filter((h) => h.personId !== personId);
        const floor = revoked && session.floor?.personId === personId ? null : session.floor;
        if (hands.length !== session.hands.length || floor !== session.floor) saveSession(doc, { ...session, hands, floor });
      });
    } catch (err) {
      this.log.error({ err, agreementId }, 'lowering the hand of a changed person failed');
    }
  }

  /** Calls a caucus break of `minutes` (0 ends the break now). */
  caucus(agreement: AgreementRecord, me: Identity, sessionId: string, minutes: number): Promise<LiveSession> {
    return writeRecords(this.rooms, agreement.id, (doc) => {
      const session = runningSession(doc, sessionId);
      if (minutes === 0) return saveSession(doc, { ...session, caucus: null });
      const startedAt = new Date();
      const caucus = { startedAt: startedAt.toISOString(), minutes, endsAt: new Date(startedAt.getTime() + minutes * 60_000).toISOString(), by: authorOf(me) };
      logActivity(doc, caucus.by, 'session.caucus', `Caucus break of ${minutes} min`);
      return saveSession(doc, { ...session, caucus });
    });
  }

  /**
   * Ends the session: marks it ended (one broker wins), takes a snapshot labelled with it,
   * then writes the minutes every party reads.
   */
  async end(agreement: AgreementRecord, me: Identity, sessionId: string): Promise<Minutes> {
    const by = authorOf(me);
    const ended = await writeRecords(this.rooms, agreement.id, (doc) => {
      const session = runningSession(doc, sessionId);
      if (session.openRoundId) throw conflict(ErrorCode.SessionState, 'a consent round is still open: close it first');
      logActivity(doc, by, 'session.ended', `Session ended: “${session.title}”`);
      return saveSession(doc, { ...session, status: 'ended', endedAt: new Date().toISOString(), caucus: null, floor: null, hands: [] });
    });
    await this.attendance.sessionEnded(agreement.id, ended);
    // The session has ended whatever happens next: a failed snapshot leaves minutes without one, never no minutes.
    const snapshot = await this.snapshots.take(agreement.id, `Session: ${ended.title}`, by, 'session', true).then(
      ({ id, label, hash }) => ({ id, label, hash }),
      (err: unknown) => {
        this.log.error({ err, agreementId: agreement.id }, 'snapshot at the end of a session failed');
        return null;
      },
    );
    return writeRecords(this.rooms, agreement.id, (doc) => {
      const minutes = buildMinutes(doc, agreement, ended, by, snapshot);
      doc.getMap<Minutes>(RecordsKey.minutes).set(ended.id, minutes);
      return minutes;
    });
  }

  /** The minutes of an ended session, or 404. */
  minutes(agreementId: string, sessionId: string): Promise<Minutes> {
    return readRoom(this.rooms, recordsRoom(agreementId), (doc) => {
      findSession(doc, sessionId);
      const minutes = doc.getMap<Minutes>(RecordsKey.minutes).get(sessionId);
      if (!minutes) throw notFound(ErrorCode.SessionNotFound, 'this session has no minutes yet: it has not ended');
      return minutes;
    });
  }

  /** Gives new items an id, keeps known ones, and checks objective items against the text. */
  private async checkedAgenda(agreementId: string, forPerson: string, agenda: AgendaItemInput[], known: AgendaItem[]): Promise<AgendaItem[]> {
    const needsObjectives = agenda.some((i) => i.kind === 'objective');
    const objectives = needsObjectives ? await this.text.objectives(agreementId, forPerson) : [];
    const seen = new Set<string>();
    return agenda.map((input) => {
      const id = input.id && known.some((k) => k.id === input.id) && !seen.has(input.id) ? input.id : newId(6);
      seen.add(id);
      const item: AgendaItem = { id, kind: input.kind, title: input.title.trim(), plannedMinutes: input.plannedMinutes };
      if (input.kind === 'objective') {
        const objective = objectives.find((o) => o.id === input.objectiveId);
        if (!objective) throw badRequest(ErrorCode.ObjectiveNotFound, `no such objective in the text: ${input.objectiveId ?? '(none given)'}`);
        item.objectiveId = objective.id;
      } else if (input.kind === 'section') {
        if (!input.section?.trim()) throw badRequest(ErrorCode.BadRequest, 'a section item names its heading in "section"');
        item.section = input.section.trim();
      }
      return item;
    });
  }
}
