import type { ProseMirrorJSON } from '#shared/snapshots';
import type { PendingSuggestions } from '#shared/suggestions';
import type { ExportStance } from './stances';
import { readableMoment } from './moment';
import { phaseLine, UNRECORDED_DELIVERIES, type ExportDeliveries, type ExportPhase } from './lifeCycle';

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
  /** The life-cycle phase at that moment and since when. */
  phase?: ExportPhase;
  /** The quick wins delivered at that moment; each quick win says whether it was (lifeCycle.ts). */
  deliveries?: ExportDeliveries;
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
 * as before: no change of layout, so minutes exported earlier still compare. So are the phase and each
 * quick win's delivery: rendered only from a proof whose meta names them, so files made before compare. Whether
 * "not recorded" is said (only of a text holding a quick win) is decided when the text is read and kept in the meta
 * (lifeCycle.ts, statedDeliveries), never by the renderer: a file that said it before still renders as it did.
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
    // Only a meta naming them takes these lines (exports made before name neither): those files still render as they were.
    ...(meta.phase ? [phaseLine(meta.phase)] : []),
    ...(meta.deliveries === 'unrecorded' ? [UNRECORDED_DELIVERIES] : []),
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
