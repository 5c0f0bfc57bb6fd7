import { MONTH_NAMES } from '#shared/dayInWords';
import type { ProseMirrorJSON } from '#shared/snapshots';
import type { PendingSuggestions } from '#shared/suggestions';
import type { ExportStance } from './stances';

/** What every export names: the agreement, the snapshot, its date and its fingerprint. */
export interface ExportMeta {
  agreementTitle: string;
  /** The snapshot's label, or "Live text" for the live document; a session's minutes: "Minutes - <session>". Names the file. */
  label: string;
  createdAt: string;
  hash: string;
  prevHash: string | null;
  /** The live text is not a snapshot: its fingerprint is computed as if it were the next one. */
  live: boolean;
  /** The agreement's parties, to name whose objective each one is. */
  parties?: { id: string; name: string }[];
  /** Set on a session's minutes: the session's title, which the header names in place of a snapshot. */
  minutesOf?: string;
  /** Every party's stance on each objective at that moment (a snapshot's, or now for the live text); each objective states them. */
  stances?: ExportStance[];
  /** Suggestions open at that moment: not part of the text, named so a reader knows its wording was still in question. */
  openSuggestions?: PendingSuggestions;
}

export interface ExportInput {
  meta: ExportMeta;
  content: ProseMirrorJSON;
}

/**
 * The version of the Markdown and HTML layout the exporters write. Bump it with any change to what
 * a document renders to: `scripts/fingerprint.ts` compares a file with a fresh rendering only when
 * the file was laid out by the same version, so an older export is never called tampered with.
 * Files whose proof names none are layout 1 (before the HTML header grouped its fingerprints);
 * layout 3 escapes in Markdown what a viewer read as markup (HTML, entities, list markers after a line break);
 * layout 4 numbers an HTML list from its start, in letters or roman numerals when it is so; layout 5
 * writes a line break in a Markdown heading as a space (a heading is one line there); layout 6 states
 * the parties' stances under each objective; layout 7 keeps the text's spaces and empty lines in HTML and wraps its long words;
 * layout 8 lets each HTML block take its direction from its first letter (right-to-left clauses); layout 9
 * writes a Markdown list in letters or roman numerals with its letters, underlined words between <u> and
 * </u>, and lists side by side with other markers so a viewer keeps them apart.
 * New lines in what the minutes say (minutesDocument.ts) are content, kept in the proof and rendered
 * as before: no change of layout, so minutes exported earlier still compare.
 */
export const EXPORT_LAYOUT = 9;

/**
 * The data a reader needs to recompute the fingerprint, as JSON safe to embed in HTML
 * and in a Markdown comment (no `<`, `>` or `&`, so neither `-->` nor `</script>` can
 * end it early). `scripts/fingerprint.ts` reads it back.
 */
export function embeddedProof(input: ExportInput): string {
  const proof = {
    format: 'common-ground-fingerprint/1',
    layout: EXPORT_LAYOUT,
    hash: input.meta.hash,
    prevHash: input.meta.prevHash,
    meta: input.meta,
    content: input.content,
  };
  return JSON.stringify(proof).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export const PROOF_START = '<!-- common-ground-fingerprint';
export const PROOF_END = '-->';

export function describe(meta: ExportMeta): string[] {
  return [
    `Agreement: ${meta.agreementTitle}`,
    // Minutes are no snapshot of the text. Only a meta naming a session takes this line, so a
    // snapshot, the live text and minutes exported before (their proofs name none) render as they
    // did: the layout, EXPORT_LAYOUT, is the same.
    meta.minutesOf !== undefined ? `Minutes of the session: ${meta.minutesOf}` : `${meta.live ? 'Version' : 'Snapshot'}: ${meta.label}`,
    `Date: ${readableMoment(meta.createdAt)}`,
    `Fingerprint (SHA-256): ${meta.hash}`,
    `Previous fingerprint: ${meta.prevHash ?? 'none (first in chain)'}`,
    // Only a meta naming open suggestions takes these lines, so every export made before reads as it did (the same layout).
    ...pendingLines(meta.openSuggestions),
  ];
}

function pendingLines(open: PendingSuggestions | undefined): string[] {
  if (!open || open.count === 0) return [];
  const more = open.count - open.described.length;
  return [
    `Open suggestions, not part of this text: ${open.count}`,
    ...open.described.map((line) => `– ${line}`),
    ...(more > 0 ? [`– and ${more} more (the redline export shows them all)`] : []),
  ];
}

/**
 * A stored moment as people read it in an export: "12 March 2026, 14:05:09 UTC". Spelled out by
 * hand, in UTC, not through Intl, for the reason `dayInWords` gives. The exact ISO moment stays
 * in the proof.
 */
export function readableMoment(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const two = (n: number) => String(n).padStart(2, '0');
  const time = `${two(date.getUTCHours())}:${two(date.getUTCMinutes())}:${two(date.getUTCSeconds())}`;
  return `${date.getUTCDate()} ${MONTH_NAMES[date.getUTCMonth()]} ${date.getUTCFullYear()}, ${time} UTC`;
}
