import { RecordsKey } from '#shared/records';
import type * as Y from 'yjs';
import type { Identity } from '#shared/protocol';
import { type ActionItem, type Decision, type ParkedPoint } from '#shared/sessions';
import type { ThreadAnchor } from '#shared/threads';
import type { RoomManager } from '../../rooms/RoomManager';
import { newId } from '../../ids';
import type { TextReader } from '../../documents/textReader';
import { readAnchorQuote } from '../../documents/anchorQuote';
import { authorOf, logActivity, writeRecords } from '../../records/write';
import type { AgreementRecord } from '../../storage/port';
import { activeSession, runningSession } from './sessionRecords';
import { ErrorCode } from '#shared/errors';
import { isCalendarDay } from '#shared/dayInWords';
import { badRequest, conflict, forbidden, notFound } from '../../errors';
import { canMarkActionDone } from '#shared/actionOwnership';

/**
 * Decisions, and actions, one session keeps (each its own count): far more than a day's meeting records, while
 * the 60 a minute allowed alone let one broker's day of them reach 57 MB that every browser holds, and the
 * minutes again.
 */
export const MAX_NOTES_PER_SESSION = 300;

/** Parked points an agreement keeps open at once: they stay, across sessions, in every browser and every session's minutes. */
export const MAX_OPEN_PARKED = 300;

/** Refuses a note past the session's budget of that kind. */
function admitNote(doc: Y.Doc, key: string, sessionId: string, what: string): void {
  let count = 0;
  for (const note of doc.getMap<{ sessionId: string }>(key).values()) if (note.sessionId === sessionId) count++;
  if (count >= MAX_NOTES_PER_SESSION) throw conflict(ErrorCode.TooManySessionNotes, `a session keeps at most ${MAX_NOTES_PER_SESSION} ${what}`);
}

export interface ParkInput {
  note: string;
  objectiveId?: string;
  anchor?: ThreadAnchor;
}

export interface ActionInput {
  what: string;
  owner: { kind: 'person' | 'party'; id: string };
  due?: string;
  itemId?: string;
}

/** The broker's notes of a session: parked points (kept across sessions), decisions and actions. */
export class SessionNotes {
  constructor(
    private readonly rooms: RoomManager,
    private readonly text: TextReader,
  ) {}

  /** Parks a contested point, linked to an objective or a passage; linked to the running session if there is one. */
  async park(agreement: AgreementRecord, me: Identity, input: ParkInput): Promise<ParkedPoint> {
    let objectiveTitle: string | undefined;
    if (input.objectiveId !== undefined) {
      const objective = (await this.text.objectives(agreement.id, me.personId)).find((o) => o.id === input.objectiveId);
      if (!objective) throw notFound(ErrorCode.ObjectiveNotFound, 'no such objective in the text');
      objectiveTitle = objective.title || 'Untitled objective';
    }
    const quote = input.anchor ? await readAnchorQuote(this.rooms, agreement.id, input.anchor) : undefined;
    return writeRecords(this.rooms, agreement.id, (doc) => {
      let open = 0;
      for (const p of parkedMap(doc).values()) if (!p.resolved) open++;
      if (open >= MAX_OPEN_PARKED) throw conflict(ErrorCode.TooManySessionNotes, `at most ${MAX_OPEN_PARKED} parked points stay open: resolve some first`);
      const session = activeSession(doc);
      const running = session?.status === 'running' ? session : undefined;
      const point: ParkedPoint = {
        id: newId(),
        note: input.note.trim(),
        ...(input.objectiveId !== undefined ? { objectiveId: input.objectiveId, objectiveTitle } : {}),
        ...(input.anchor ? { anchor: input.anchor, quote } : {}),
        ...(running ? { sessionId: running.id, itemId: running.currentItemId } : {}),
        parkedBy: authorOf(me),
        parkedAt: new Date().toISOString(),
        resolved: false,
      };
      parkedMap(doc).set(point.id, point);
      logActivity(doc, point.parkedBy, 'point.parked', `Parked: ${point.note}`);
      return point;
    });
  }

  resolveParked(agreement: AgreementRecord, me: Identity, pointId: string): Promise<ParkedPoint> {
    return writeRecords(this.rooms, agreement.id, (doc) => {
      const point = parkedMap(doc).get(pointId);
      if (!point) throw notFound(ErrorCode.ParkedPointNotFound, 'no such parked point');
      if (point.resolved) return point;
      const resolved = { ...point, resolved: true, resolvedBy: authorOf(me), resolvedAt: new Date().toISOString() };
      parkedMap(doc).set(point.id, resolved);
      logActivity(doc, resolved.resolvedBy, 'point.resolved', `Parked point resolved: ${point.note}`);
      return resolved;
    });
  }

  decide(agreement: AgreementRecord, me: Identity, sessionId: string, text: string, itemId?: string): Promise<Decision> {
    return writeRecords(this.rooms, agreement.id, (doc) => {
      const session = runningSession(doc, sessionId);
      admitNote(doc, RecordsKey.decisions, sessionId, 'decisions');
      const decision: Decision = { id: newId(), sessionId, itemId: itemOf(session, itemId), text: text.trim(), by: authorOf(me), at: new Date().toISOString() };
      doc.getMap<Decision>(RecordsKey.decisions).set(decision.id, decision);
      logActivity(doc, decision.by, 'decision.recorded', `Decision: ${decision.text}`);
      return decision;
    });
  }

  addAction(agreement: AgreementRecord, me: Identity, sessionId: string, input: ActionInput): Promise<ActionItem> {
    const owner = ownerOf(agreement, input.owner);
    // The schema's pattern lets 2027-02-30 through, and Date.parse rolls it into March: only a day the calendar has is stored.
    if (input.due !== undefined && !isCalendarDay(input.due)) throw badRequest(ErrorCode.BadRequest, '"due" is not a date');
    return writeRecords(this.rooms, agreement.id, (doc) => {
      const session = runningSession(doc, sessionId);
      admitNote(doc, RecordsKey.actions, sessionId, 'actions');
      const action: ActionItem = {
        id: newId(),
        sessionId,
        itemId: itemOf(session, input.itemId),
        what: input.what.trim(),
        owner,
        ...(input.due ? { due: input.due } : {}),
        by: authorOf(me),
        at: new Date().toISOString(),
      };
      doc.getMap<ActionItem>(RecordsKey.actions).set(action.id, action);
      logActivity(doc, action.by, 'action.recorded', `Action for ${owner.name}: ${action.what}`);
      return action;
    });
  }

  /** Marks an action done, or open again; any time after its session, by the broker or its owner. */
  markAction(agreement: AgreementRecord, me: Identity, sessionId: string, actionId: string, done: boolean): Promise<ActionItem> {
    return writeRecords(this.rooms, agreement.id, (doc) => {
      const actions = doc.getMap<ActionItem>(RecordsKey.actions);
      const action = actions.get(actionId);
      if (!action || action.sessionId !== sessionId) throw notFound(ErrorCode.ActionNotFound, 'no such action in this session');
      if (!canMarkActionDone(me, action.owner)) throw forbidden(ErrorCode.Forbidden, 'only a broker or the action’s owner can mark it done');
      // Pressed twice (two tabs, a retry): nothing changes and nothing is logged again.
      if (!!action.done === done) return action;
      const by = authorOf(me);
      const { done: _open, ...rest } = action;
      const marked: ActionItem = done ? { ...rest, done: { by, at: new Date().toISOString() } } : rest;
      actions.set(action.id, marked);
      logActivity(doc, by, done ? 'action.done' : 'action.reopened', `${done ? 'Action done' : 'Action open again'}: ${action.what}`);
      return marked;
    });
  }
}

function parkedMap(doc: Y.Doc): Y.Map<ParkedPoint> {
  return doc.getMap<ParkedPoint>(RecordsKey.parkedPoints);
}

/** The item a note belongs to: the one named (it must be on the agenda), else the current one. */
function itemOf(session: { agenda: { id: string }[]; currentItemId: string | null }, itemId: string | undefined): string | null {
  if (itemId === undefined) return session.currentItemId;
  if (!session.agenda.some((i) => i.id === itemId)) throw badRequest(ErrorCode.AgendaItemNotFound, 'no such item on this session’s agenda');
  return itemId;
}

function ownerOf(agreement: AgreementRecord, owner: ActionInput['owner']): ActionItem['owner'] {
  const found = owner.kind === 'person' ? agreement.people.find((p) => p.id === owner.id) : agreement.parties.find((p) => p.id === owner.id);
  if (!found) throw badRequest(owner.kind === 'person' ? ErrorCode.PersonNotFound : ErrorCode.UnknownParty, `no such ${owner.kind} in this agreement`);
  return { kind: owner.kind, id: found.id, name: found.name };
}
