import { dayInWords } from '#shared/dayInWords';
import { ROLE_LABELS } from '#shared/roles';
import { STANCE_LABELS } from '#shared/objectives';
import type { ExportFormat, ProseMirrorJSON } from '#shared/snapshots';
import { roundTextChangedLine, roundWordingLine, type Minutes, type MinutesItem, type RoundResult } from '#shared/sessions';
import { exportFile, type ExportFile } from '../snapshots/export/exportDocument';
import type { DocumentWorker } from '../snapshots/diff/DocumentWorker';
import { fingerprint } from '../snapshots/fingerprint';
import type { AgreementRecord } from '../../storage/port';

const text = (value: string, bold = false): ProseMirrorJSON => ({ type: 'text', text: value, ...(bold ? { marks: [{ type: 'bold' }] } : {}) });
const para = (...parts: (string | ProseMirrorJSON)[]): ProseMirrorJSON => ({
  type: 'paragraph',
  content: parts.filter((p) => p !== '').map((p) => (typeof p === 'string' ? text(p) : p)),
});
const heading = (level: number, value: string): ProseMirrorJSON => ({ type: 'heading', attrs: { level }, content: [text(value)] });
const list = (lines: string[]): ProseMirrorJSON[] =>
  lines.length === 0 ? [] : [{ type: 'bulletList', content: lines.map((line) => ({ type: 'listItem', content: [para(line)] })) }];

const time = (iso: string) => iso.slice(11, 16);
// Every time in the body names its zone, not only the header: a line read (or quoted) alone would
// otherwise pass for the reader's own clock. One "UTC" to a moment or a range.
const at = (iso: string) => `${time(iso)} UTC`;
const span = (from: string, to: string) => `${time(from)}–${time(to)} UTC`;
const minutesOf = (seconds: number) => `${Math.round(seconds / 60)} min`;

const ANSWER_LABELS: Record<RoundResult['answer'], string> = { ...STANCE_LABELS, no_answer: 'No answer' };

/** Labelled lines, each only when it has something to say. */
function section(label: string, lines: string[]): ProseMirrorJSON[] {
  return lines.length === 0 ? [] : [para(text(`${label}:`, true)), ...list(lines)];
}

function itemBlocks(item: MinutesItem, partyName: (id: string) => string): ProseMirrorJSON[] {
  return [
    heading(3, item.title),
    para(
      item.takenUp === false
        ? `Not taken up (${item.plannedMinutes} min planned)`
        : `Time spent: ${minutesOf(item.spentSeconds)} of ${item.plannedMinutes} min planned`,
    ),
    ...section(
      'Decisions',
      item.decisions.map((d) => d.text),
    ),
    ...item.rounds.flatMap((r) => [
      para(text(`Consent round on “${r.objectiveTitle}” (${span(r.openedAt, r.closedAt ?? r.openedAt)}):`, true)),
      ...(r.wording ? [para(roundWordingLine(r.wording))] : []),
      ...(r.textAtClose ? [para(roundTextChangedLine(r.textAtClose))] : []),
      ...list(
        (r.results ?? []).map(
          (res) => `${partyName(res.party)}: ${ANSWER_LABELS[res.answer]}${res.reason ? ` (${res.reason})` : ''}${res.by ? `, by ${res.by.name}` : ''}`,
        ),
      ),
    ]),
    ...section(
      'Stances changed',
      item.stancesChanged.map((s) => `${at(s.at)} · ${s.text}`),
    ),
    // Absent in minutes written before they were kept, and empty lists take no lines: those minutes render (and hash) as they did.
    ...section(
      'Suggestions accepted or rejected',
      (item.suggestionsDecided ?? []).map((s) => `${at(s.at)} · ${s.text}`),
    ),
    ...section(
      'Threads opened',
      item.threadsOpened.map((t) => `${t.by.name}: ${t.quote ? `“${t.quote}”` : 'a thread'}`),
    ),
    ...section(
      'Threads resolved',
      item.threadsResolved.map((t) => `${t.by.name}: ${t.quote ? `“${t.quote}”` : 'a thread'}`),
    ),
    ...section(
      'Parked',
      item.parked.map((p) => p.note + (p.objectiveTitle ? ` (on “${p.objectiveTitle}”)` : p.quote ? ` (on “${p.quote}”)` : '')),
    ),
    ...section(
      'Actions',
      item.actions.map((a) => `${a.what}: ${a.owner.name}${a.due ? `, due ${dayInWords(a.due)}` : ''}`),
    ),
    // Absent in minutes written before they were kept: those render (and hash) as they did.
    ...section(
      'Quick wins and actions marked',
      (item.progressMarked ?? []).map((p) => `${at(p.at)} · ${p.by.name}: ${p.text}`),
    ),
  ];
}

/** The minutes as a document, so the snapshot exporters render them as Markdown, HTML and .docx. */
export function minutesContent(minutes: Minutes, agreement: AgreementRecord): ProseMirrorJSON {
  const partyName = (id: string) => agreement.parties.find((p) => p.id === id)?.name ?? id;
  const attendees = minutes.attendees.map(
    (a) => `${a.name}, ${ROLE_LABELS[a.role]}${a.partyName ? `, ${a.partyName}` : ''}: ${a.present.map((p) => span(p.joinedAt, p.leftAt)).join(', ')}`,
  );
  return {
    type: 'doc',
    content: [
      heading(1, `Minutes: ${minutes.title}`),
      para(`Date: ${dayInWords(minutes.startedAt.slice(0, 10))}, ${span(minutes.startedAt, minutes.endedAt)} (${minutesOf(minutes.durationSeconds)})`),
      ...(minutes.snapshot ? [para(`Text snapshot: “${minutes.snapshot.label}”, fingerprint ${minutes.snapshot.hash}`)] : []),
      heading(2, 'Attendees'),
      ...(attendees.length > 0 ? list(attendees) : [para('Nobody was recorded as present.')]),
      ...(minutes.absentParties.length > 0 ? [para(`Parties with nobody present: ${minutes.absentParties.join(', ')}`)] : []),
      heading(2, 'Agenda'),
      ...minutes.items.flatMap((item) => itemBlocks(item, partyName)),
      heading(2, 'Parked points still open'),
      ...(minutes.openParked.length > 0 ? list(minutes.openParked.map((p) => p.note)) : [para('None.')]),
    ],
  };
}

/**
 * The minutes as a file. They are fingerprinted like a snapshot, chained to the snapshot
 * of the text taken at the session's end, so `scripts/fingerprint.ts` checks them too.
 */
export async function exportMinutes(
  minutes: Minutes,
  agreement: AgreementRecord,
  format: ExportFormat,
  documents: DocumentWorker,
  forPerson: string,
): Promise<ExportFile> {
  const content = minutesContent(minutes, agreement);
  const prevHash = minutes.snapshot?.hash ?? null;
  const meta = {
    agreementTitle: agreement.title,
    label: `Minutes - ${minutes.title}`,
    createdAt: minutes.endedAt,
    hash: fingerprint(prevHash, content),
    prevHash,
    live: false,
    minutesOf: minutes.title,
  };
  // Rendered in the document worker, as snapshots are: a .docx costs the main thread too much.
  return exportFile(meta, format, await documents.run({ kind: 'render', input: { meta, content }, format }, [], forPerson));
}
