import type { Author } from './records';
import type { Role } from './roles';
import type { ThreadAnchor } from './threads';
import { OBJECTIVE_FIELDS } from './objective';

// A live working session is records: the server alone writes these types into the records room, under `RecordsKey.sessions`, `consentRounds`, `parkedPoints`, `decisions`, `actions`, `attendance` and `minutes`.

export const AGENDA_KINDS = ['section', 'objective', 'free'] as const;
export type AgendaKind = (typeof AGENDA_KINDS)[number];

/** One item of a session's agenda. */
export interface AgendaItem {
  id: string;
  kind: AgendaKind;
  title: string;
  plannedMinutes: number;
  /** For `objective` items: the objective block's id. */
  objectiveId?: string;
  /** For `section` items: the heading's text (followers scroll to the first heading that reads so). */
  section?: string;
}

/** The agenda as a broker sends it (ids of existing items are kept; new items get one). */
export type AgendaItemInput = Omit<AgendaItem, 'id'> & { id?: string };

/** A stretch of time spent on one item; it lasts until the next visit or the session's end. */
export interface ItemVisit {
  itemId: string;
  startedAt: string;
  by: Author;
}

export interface RaisedHand {
  personId: string;
  name: string;
  party?: string;
  at: string;
}

/** Who has the floor, given by a broker. */
export interface Floor {
  personId: string;
  name: string;
  party?: string;
  at: string;
  by: Author;
}

/** A break for the parties to confer privately in their caucus rooms. */
export interface CaucusBreak {
  startedAt: string;
  minutes: number;
  endsAt: string;
  by: Author;
}

export type SessionStatus = 'planned' | 'running' | 'ended';

/** A session as the records room holds it under `RecordsKey.sessions`. */
export interface LiveSession {
  id: string;
  title: string;
  status: SessionStatus;
  agenda: AgendaItem[];
  /** Counts the agenda's saves (absent: never saved since planned), so a console editing an older copy is refused. */
  agendaVersion?: number;
  createdBy: Author;
  createdAt: string;
  startedAt?: string;
  endedAt?: string;
  currentItemId: string | null;
  visits: ItemVisit[];
  /** Raised hands, in the order they went up. */
  hands: RaisedHand[];
  floor: Floor | null;
  caucus: CaucusBreak | null;
  /** The consent round now open, if any. */
  openRoundId: string | null;
}

export const ROUND_ANSWERS = ['agree', 'reservations', 'object'] as const;
export type RoundAnswerValue = (typeof ROUND_ANSWERS)[number];

/** One negotiator's answer in a round; the last answer of a party is that party's answer. */
export interface RoundAnswer {
  party: string;
  answer: RoundAnswerValue;
  reason?: string;
  by: Author;
  at: string;
}

/** What a round recorded for one party when it closed. */
export interface RoundResult {
  party: string;
  answer: RoundAnswerValue | 'no_answer';
  reason?: string;
  by?: Author;
  at?: string;
}

/** An objective's words (its title aside) when a round opened on it: what the parties answered on. */
export interface RoundWording {
  intent: string;
  band: string;
  trigger: string;
}

/** The round's wording as one line for the minutes, each part labelled as the editor labels it. */
export function roundWordingLine(wording: RoundWording): string {
  const parts = OBJECTIVE_FIELDS.filter((f) => f.key !== 'title').map((f) => `${f.label}: ${wording[f.key as keyof RoundWording] || '(empty)'}`);
  return `As it read when the round opened: ${parts.join(' · ')}`;
}

/** What had become of the objective's text when its round closed, when it was no longer the round's. */
export type RoundTextAtClose = 'edited' | 'removed';

/** Said next to a closed round's answers when its objective changed under it (the app held answers from then on). */
export function roundTextChangedLine(textAtClose: RoundTextAtClose): string {
  return `The objective was ${textAtClose === 'removed' ? 'removed from the text' : 'edited'} during the round: answers were held from then on.`;
}

export interface ConsentRound {
  id: string;
  sessionId: string;
  itemId: string | null;
  objectiveId: string;
  objectiveTitle: string;
  /** The objective's hash when the round opened: the stances it writes are bound to it. */
  contentHash: string;
  /** Its words then (rounds opened before this was kept have none). */
  wording?: RoundWording;
  status: 'open' | 'closed';
  openedBy: Author;
  openedAt: string;
  answers: RoundAnswer[];
  closedBy?: Author;
  closedAt?: string;
  /** One per party of the agreement, in party order. */
  results?: RoundResult[];
  /** Set when the objective was edited or removed before the round closed: "No answer" may then be an answer held back. */
  textAtClose?: RoundTextAtClose;
}

/** The reason written into the stance of a party that did not answer in a round. */
export const NO_ANSWER_REASON = 'No answer in the consent round';

export interface ParkedPoint {
  id: string;
  note: string;
  objectiveId?: string;
  objectiveTitle?: string;
  anchor?: ThreadAnchor;
  /** The passage's text when it was parked (read by the server from the anchor). */
  quote?: string;
  sessionId?: string;
  itemId?: string | null;
  parkedBy: Author;
  parkedAt: string;
  resolved: boolean;
  resolvedBy?: Author;
  resolvedAt?: string;
}

export interface Decision {
  id: string;
  sessionId: string;
  itemId: string | null;
  text: string;
  by: Author;
  at: string;
}

export interface ActionOwner {
  kind: 'person' | 'party';
  id: string;
  name: string;
}

export interface ActionItem {
  id: string;
  sessionId: string;
  itemId: string | null;
  what: string;
  owner: ActionOwner;
  /** YYYY-MM-DD; dated actions appear on the quick-wins timeline. */
  due?: string;
  by: Author;
  at: string;
  /** Who marked it done, and when: a done action is never overdue. Absent while it is open. */
  done?: { by: Author; at: string };
}

export interface AttendanceEntry {
  sessionId: string;
  personId: string;
  name: string;
  role: Role;
  party?: string;
  kind: 'join' | 'leave';
  at: string;
}

/** One person in the minutes, with each stretch they were present. */
export interface Attendee {
  personId: string;
  name: string;
  role: Role;
  party?: string;
  partyName?: string;
  present: { joinedAt: string; leftAt: string }[];
}

/** A thread as the minutes name it. */
export interface MinutesThread {
  id: string;
  quote?: string;
  by: Author;
  at: string;
}

/**
 * A suggestion accepted or rejected while an item was current, as the activity log stated it then:
 * who decided, whose suggestion it was, and what it changed (long quotes shortened).
 */
export interface MinutesSuggestion {
  at: string;
  decision: 'accepted' | 'rejected';
  /** "Nia accepted Lena’s suggestion replacing “What we” with “All of us”" */
  text: string;
  /** Who decided it. */
  by: Author;
}

export interface MinutesItem {
  itemId: string;
  title: string;
  kind: AgendaKind;
  plannedMinutes: number;
  /** Whole seconds spent on the item over all its visits. */
  spentSeconds: number;
  /** Whether the item was ever current (absent in minutes written before this was kept). */
  takenUp?: boolean;
  decisions: Decision[];
  rounds: ConsentRound[];
  /** Activity entries of stances stated while the item was current. */
  stancesChanged: { at: string; text: string; by: Author }[];
  /** Suggestions accepted or rejected while the item was current, in the order decided (absent in minutes written before this was kept). */
  suggestionsDecided?: MinutesSuggestion[];
  threadsOpened: MinutesThread[];
  threadsResolved: MinutesThread[];
  parked: ParkedPoint[];
  actions: ActionItem[];
  /**
   * Quick wins marked delivered (or no longer) and actions marked done (or open again) while the item was
   * current, as the activity log stated them (absent in minutes written before this was kept).
   */
  progressMarked?: { at: string; text: string; by: Author }[];
}

/** What the server writes when a session ends; every party reads it. */
export interface Minutes {
  sessionId: string;
  title: string;
  startedAt: string;
  endedAt: string;
  durationSeconds: number;
  attendees: Attendee[];
  /** Parties nobody of which was present at any time. */
  absentParties: string[];
  items: MinutesItem[];
  /** Parked points still open when the session ended (from any session). */
  openParked: ParkedPoint[];
  /** The snapshot of the text taken at the end, labelled with the session. */
  snapshot: { id: string; label: string; hash: string } | null;
  endedBy: Author;
}

/** Milliseconds spent on an item so far: its past visits plus the current one until `now`. */
export function itemSpentMs(session: Pick<LiveSession, 'visits' | 'endedAt'>, itemId: string, now: number): number {
  const end = session.endedAt ? Date.parse(session.endedAt) : now;
  let total = 0;
  session.visits.forEach((visit, i) => {
    if (visit.itemId !== itemId) return;
    const until = i + 1 < session.visits.length ? Date.parse(session.visits[i + 1].startedAt) : end;
    total += Math.max(0, until - Date.parse(visit.startedAt));
  });
  return total;
}

/** The time windows an item was current, for matching other records to it. */
export function itemWindows(session: Pick<LiveSession, 'visits'>, itemId: string, endedAt: string): { from: string; to: string }[] {
  return session.visits.flatMap((visit, i) => (visit.itemId === itemId ? [{ from: visit.startedAt, to: session.visits[i + 1]?.startedAt ?? endedAt }] : []));
}

/** A timer's state: amber in the last fifth of the planned time, red over it. */
export function timerTone(spentMs: number, plannedMinutes: number): 'ok' | 'near' | 'over' {
  const planned = plannedMinutes * 60_000;
  if (spentMs > planned) return 'over';
  if (spentMs >= planned * 0.8) return 'near';
  return 'ok';
}

/** Each party's latest answer in a round. */
export function latestAnswers(round: Pick<ConsentRound, 'answers'>): Map<string, RoundAnswer> {
  const byParty = new Map<string, RoundAnswer>();
  for (const answer of round.answers) byParty.set(answer.party, answer);
  return byParty;
}
