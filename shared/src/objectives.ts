import type { JSONContent } from '@tiptap/core';
import { OBJECTIVE, OBJECTIVE_FIELDS, type ObjectiveAttrs, type ObjectiveFieldKey } from './objective';
import { foldedObjective } from './objectiveFacts';
import type { Author } from './records';

/** What a party can say about an objective. */
export const STANCES = ['agree', 'reservations', 'object', 'not_yet'] as const;
export type StanceValue = (typeof STANCES)[number];

export const STANCE_LABELS: Record<StanceValue, string> = {
  agree: 'Agree',
  reservations: 'Agree with reservations',
  object: 'Object',
  not_yet: 'Not yet',
};

/** Stances that must give a reason. */
export function stanceNeedsReason(stance: StanceValue): boolean {
  return stance === 'reservations' || stance === 'object';
}

/** A party's stance, as the server recorded it in `RecordsKey.stances` under {@link stanceKey}. */
export interface StanceRecord {
  objectiveId: string;
  party: string;
  stance: StanceValue;
  reason?: string;
  /** {@link objectiveHash} of the objective when the stance was given. */
  contentHash: string;
  by: Author;
  at: string;
  /** Set when a session's consent round wrote this stance. */
  round?: { sessionId: string; roundId: string };
}

/** A broker's call for every party to state its stance, in `RecordsKey.stanceCalls` by objective id. */
export interface StanceCall {
  objectiveId: string;
  by: Author;
  at: string;
}

export function stanceKey(objectiveId: string, partyId: string): string {
  return `${objectiveId}:${partyId}`;
}

/** One objective as read from the document. */
export interface ObjectiveInfo extends ObjectiveAttrs, Record<ObjectiveFieldKey, string> {
  /** Text of the nearest heading before it, for outlines and listings. */
  section: string | null;
  /** The text the stances are tied to; hash it with SHA-256 (hex) to get the content hash. */
  canonical: string;
}

/** JSON with object keys sorted, so equal content always gives equal text. */
function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The canonical text of an objective node (ProseMirror JSON): everything a party agrees to,
 * its attributes except the id and its content with marks. Server and client hash this same text.
 * Owners and indicators count as the attributes they were before they became fields
 * ({@link foldedObjective}): a stance given on a text stored then still holds once they moved.
 */
export function canonicalObjective(node: JSONContent): string {
  const folded = foldedObjective(node);
  const { id: _id, ...attrs } = (folded.attrs ?? {}) as Record<string, unknown>;
  return stableStringify({ attrs, content: folded.content ?? [] });
}

/** Plain text of a node. */
export function textOf(node: JSONContent): string {
  if (node.type === 'text') return node.text ?? '';
  if (node.type === 'hardBreak') return '\n';
  return (node.content ?? []).map(textOf).join('');
}

/**
 * What one objective node says, by node: the client's side panels read the text again after each
 * edit, reusing the JSON of every block the edit did not touch, so only the edited objective is
 * read again. JSON nodes are values here: nothing changes one after it is read.
 */
const readObjectives = new WeakMap<JSONContent, Omit<ObjectiveInfo, 'section'>>();

function readObjective(node: JSONContent): Omit<ObjectiveInfo, 'section'> {
  let info = readObjectives.get(node);
  if (!info) {
    const attrs = foldedObjective(node).attrs as ObjectiveAttrs;
    const fields = Object.fromEntries(OBJECTIVE_FIELDS.map((f) => [f.key, textOf(node.content?.find((c) => c.type === f.node) ?? {}).trim()])) as Record<
      ObjectiveFieldKey,
      string
    >;
    // Owners and indicators are typed as text too: spaces alone name nobody (the quick wins read "Owners: " with none).
    const facts = { owners: String(attrs.owners ?? '').trim(), indicators: String(attrs.indicators ?? '').trim() };
    info = { ...attrs, ...facts, ...fields, canonical: canonicalObjective(node) };
    readObjectives.set(node, info);
  }
  return info;
}

/** Every objective in a document (ProseMirror JSON, defaults filled in by the schema), in order. */
export function findObjectives(doc: JSONContent): ObjectiveInfo[] {
  const found: ObjectiveInfo[] = [];
  let section: string | null = null;
  const visit = (node: JSONContent) => {
    if (node.type === 'heading') section = textOf(node).trim() || section;
    if (node.type === OBJECTIVE) {
      found.push({ ...readObjective(node), section });
      return;
    }
    // Text blocks hold only inline content: no objective in there.
    if (node.type === 'heading' || node.type === 'paragraph') return;
    node.content?.forEach(visit);
  };
  visit(doc);
  return found;
}

/** Where one party stands on one objective right now. */
export type PartyStanceStatus = 'agree' | 'reservations' | 'object' | 'not_yet' | 'outdated' | 'none';

/** A stance counts only for the text it was given on; after an edit it is outdated until confirmed. */
export function partyStanceStatus(stance: StanceRecord | undefined, currentHash: string): PartyStanceStatus {
  if (!stance) return 'none';
  if (stance.contentHash !== currentHash) return 'outdated';
  return stance.stance;
}

/** Where an objective stands across all parties. */
export type ObjectiveStatus = 'agreed' | 'contested' | 'outdated' | 'waiting';

export const OBJECTIVE_STATUS_LABELS: Record<ObjectiveStatus, string> = {
  agreed: 'Agreed by every party',
  contested: 'Contested',
  outdated: 'Outdated stances',
  waiting: 'Waiting',
};

export interface ObjectiveStanding {
  status: ObjectiveStatus;
  /** Parties that have not (or no longer) stated a stance on the current text. */
  waitingOn: string[];
}

/**
 * An objective is agreed when every party agrees (with or without reservations) to its
 * current text; an objection makes it contested; a stance on older text makes it outdated.
 */
export function objectiveStanding(statuses: Record<string, PartyStanceStatus>, parties: string[]): ObjectiveStanding {
  const of = (p: string) => statuses[p] ?? 'none';
  const waitingOn = parties.filter((p) => ['none', 'not_yet', 'outdated'].includes(of(p)));
  let status: ObjectiveStatus = 'agreed';
  if (parties.length === 0) status = 'waiting';
  else if (parties.some((p) => of(p) === 'object')) status = 'contested';
  else if (parties.some((p) => of(p) === 'outdated')) status = 'outdated';
  else if (waitingOn.length > 0) status = 'waiting';
  return { status, waitingOn };
}

/** Reads every party's status on one objective from the stances map's contents. */
export function partyStatuses(
  objectiveId: string,
  hash: string,
  parties: string[],
  stances: (key: string) => StanceRecord | undefined,
): Record<string, PartyStanceStatus> {
  return Object.fromEntries(parties.map((p) => [p, partyStanceStatus(stances(stanceKey(objectiveId, p)), hash)]));
}

/** Counts for the dashboard. */
export interface StandingSummary extends Record<ObjectiveStatus, number> {
  total: number;
  /** Party id → how many objectives wait on that party. */
  waitingOn: Record<string, number>;
}

export function summarizeStandings(standings: ObjectiveStanding[]): StandingSummary {
  const summary: StandingSummary = { total: standings.length, agreed: 0, contested: 0, outdated: 0, waiting: 0, waitingOn: {} };
  for (const s of standings) {
    summary[s.status]++;
    for (const p of s.waitingOn) summary.waitingOn[p] = (summary.waitingOn[p] ?? 0) + 1;
  }
  return summary;
}
