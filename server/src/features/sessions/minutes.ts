import type * as Y from 'yjs';
import { RecordsKey, type ActivityEntry, type Author } from '#shared/records';
import {
  itemSpentMs,
  itemWindows,
  type ActionItem,
  type AttendanceEntry,
  type Attendee,
  type ConsentRound,
  type Decision,
  type LiveSession,
  type Minutes,
  type MinutesItem,
  type MinutesSuggestion,
  type MinutesThread,
  type ParkedPoint,
} from '#shared/sessions';
import type { Thread } from '#shared/threads';
import { readThreads } from '#shared/threadStore';
import type { AgreementRecord } from '../../storage/port';
import { DEFAULT_REJOIN_GRACE_MS } from '../audit/presence';

/**
 * A records map's values, oldest first by `time`: a Y.Map iterates in the order its keys reached
 * this copy of the room, which after a reload follows Yjs's client ids, not the order things happened.
 */
function values<T>(doc: Y.Doc, key: string, time: (value: T) => string): T[] {
  return [...doc.getMap<T>(key).values()].sort((a, b) => time(a).localeCompare(time(b)));
}

/**
 * A person back within the audit log's grace of leaving never left, as far as the minutes go: a reload,
 * a moment off the network or a server restart is one leave and one join seconds apart, and read as
 * two stretches it looked as if they had been out of the room.
 */
const withinGrace = (leftAt: string, joinedAt: string) => Date.parse(joinedAt) - Date.parse(leftAt) < DEFAULT_REJOIN_GRACE_MS;

/** Each person's stretches of presence during the session, from the join and leave entries. */
function attendeesOf(entries: AttendanceEntry[], agreement: AgreementRecord, endedAt: string): Attendee[] {
  const byPerson = new Map<string, Attendee>();
  // In time order: entries written at once (a reload closing stretches as the first person arrives) may land in either order.
  for (const e of [...entries].sort((a, b) => a.at.localeCompare(b.at))) {
    let attendee = byPerson.get(e.personId);
    if (!attendee) {
      const partyName = agreement.parties.find((p) => p.id === e.party)?.name;
      attendee = { personId: e.personId, name: e.name, role: e.role, ...(e.party ? { party: e.party } : {}), ...(partyName ? { partyName } : {}), present: [] };
      byPerson.set(e.personId, attendee);
    }
    const last = attendee.present.at(-1);
    const open = last !== undefined && last.leftAt === '';
    if (e.kind === 'join' && !open && last !== undefined && withinGrace(last.leftAt, e.at)) last.leftAt = '';
    else if (e.kind === 'join' && !open) attendee.present.push({ joinedAt: e.at, leftAt: '' });
    if (e.kind === 'leave' && open) last.leftAt = e.at;
  }
  for (const attendee of byPerson.values()) for (const stretch of attendee.present) stretch.leftAt ||= endedAt;
  return [...byPerson.values()].filter((a) => a.present.length > 0);
}

/** Where an item was current: up to the next item's start, or up to and with the session's end (`closesSession`). */
interface ItemWindow {
  from: string;
  to: string;
  closesSession: boolean;
}

// What happened in the very millisecond the session ended (a decision, then the end, in two quick
// requests) still happened in it: the last window keeps its end.
const within = (at: string | undefined, windows: ItemWindow[]) =>
  at !== undefined && windows.some((w) => at >= w.from && (at < w.to || (w.closesSession && at === w.to)));

/** The decisions on suggestions among the activity entries: accepting one changes the text, rejecting one keeps it. */
const SUGGESTION_DECISIONS: Record<string, MinutesSuggestion['decision']> = { 'suggestion.accepted': 'accepted', 'suggestion.rejected': 'rejected' };

function suggestionsDecided(activity: ActivityEntry[], windows: ItemWindow[]): MinutesSuggestion[] {
  return activity
    .filter((a) => Object.hasOwn(SUGGESTION_DECISIONS, a.kind) && within(a.at, windows))
    .map(({ at, kind, text, by }) => ({ at, decision: SUGGESTION_DECISIONS[kind], text, by }))
    .sort((a, b) => a.at.localeCompare(b.at));
}

/** Progress the partners report to each other: a quick win delivered, an action done, and either taken back. */
const PROGRESS_MARKS = new Set(['quickWin.delivered', 'quickWin.reopened', 'action.done', 'action.reopened']);

function progressMarked(activity: ActivityEntry[], windows: ItemWindow[]): NonNullable<MinutesItem['progressMarked']> {
  return activity
    .filter((a) => PROGRESS_MARKS.has(a.kind) && within(a.at, windows))
    .map(({ at, text, by }) => ({ at, text, by }))
    .sort((a, b) => a.at.localeCompare(b.at));
}

const asThread = (thread: Thread, by: Author, at: string): MinutesThread => ({ id: thread.id, ...(thread.quote ? { quote: thread.quote } : {}), by, at });

/**
 * The minutes of an ended session, read from the records room: attendance from presence,
 * and for each agenda item the time spent and what happened while it was current.
 */
export function buildMinutes(doc: Y.Doc, agreement: AgreementRecord, session: LiveSession, endedBy: Author, snapshot: Minutes['snapshot']): Minutes {
  const startedAt = session.startedAt ?? session.createdAt;
  const endedAt = session.endedAt ?? new Date().toISOString();
  const attendance = doc
    .getArray<AttendanceEntry>(RecordsKey.attendance)
    .toArray()
    .filter((e) => e.sessionId === session.id);
  const attendees = attendeesOf(attendance, agreement, endedAt);
  const decisions = values<Decision>(doc, RecordsKey.decisions, (d) => d.at).filter((d) => d.sessionId === session.id);
  const rounds = values<ConsentRound>(doc, RecordsKey.consentRounds, (r) => r.openedAt).filter((r) => r.sessionId === session.id && r.status === 'closed');
  const actions = values<ActionItem>(doc, RecordsKey.actions, (a) => a.at).filter((a) => a.sessionId === session.id);
  const parked = values<ParkedPoint>(doc, RecordsKey.parkedPoints, (p) => p.parkedAt);
  const threads = readThreads(doc).filter((t) => !t.caucus);
  const activity = doc.getArray<ActivityEntry>(RecordsKey.activity).toArray();
  const byTime = <T extends { at: string }>(list: T[]) => list.sort((a, b) => a.at.localeCompare(b.at));

  const items = session.agenda.map((item): MinutesItem => {
    const windows = itemWindows(session, item.id, endedAt).map((w) => ({ ...w, closesSession: w.to === endedAt }));
    const mine = <T extends { itemId?: string | null }>(list: T[]) => list.filter((x) => x.itemId === item.id);
    return {
      itemId: item.id,
      title: item.title,
      kind: item.kind,
      plannedMinutes: item.plannedMinutes,
      spentSeconds: Math.round(itemSpentMs(session, item.id, Date.parse(endedAt)) / 1000),
      takenUp: windows.length > 0,
      decisions: mine(decisions),
      rounds: mine(rounds),
      stancesChanged: activity.filter((a) => a.kind === 'stance.stated' && within(a.at, windows)).map(({ at, text, by }) => ({ at, text, by })),
      suggestionsDecided: suggestionsDecided(activity, windows),
      threadsOpened: byTime(threads.filter((t) => within(t.createdAt, windows)).map((t) => asThread(t, t.createdBy, t.createdAt))),
      threadsResolved: byTime(
        threads.filter((t) => t.resolved && within(t.resolvedAt, windows)).map((t) => asThread(t, t.resolvedBy ?? t.createdBy, t.resolvedAt!)),
      ),
      parked: mine(parked.filter((p) => p.sessionId === session.id)),
      actions: mine(actions),
      progressMarked: progressMarked(activity, windows),
    };
  });

  const presentParties = new Set(attendees.map((a) => a.party).filter(Boolean));
  return {
    sessionId: session.id,
    title: session.title,
    startedAt,
    endedAt,
    durationSeconds: Math.round((Date.parse(endedAt) - Date.parse(startedAt)) / 1000),
    attendees,
    absentParties: agreement.parties.filter((p) => !presentParties.has(p.id)).map((p) => p.name),
    items,
    openParked: parked.filter((p) => !p.resolved),
    snapshot,
    endedBy,
  };
}
