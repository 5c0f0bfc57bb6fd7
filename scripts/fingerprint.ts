/**
 * Checks a Common Ground export (.md or .html) against its fingerprint:
 *
 *   npx tsx scripts/fingerprint.ts "River Partnership - Draft.md"
 *
 * 1. recomputes fingerprint = SHA-256 hex of (previous fingerprint or '') + '\n' +
 *    canonical JSON (keys sorted at every level) of the ProseMirror JSON the export embeds;
 * 2. renders that JSON again and compares it with the file, so an edit to the visible
 *    text is caught too. Only a file laid out by this version of the exporter (the proof's
 *    `layout`) can be rendered again exactly; an older one is said to be not comparable.
 * Exits 0 when both hold, 1 when either fails, 2 when the file carries no fingerprint data,
 * 3 when the fingerprint holds and the file's layout is another version's.
 */
import { readFileSync } from 'node:fs';
import { fingerprint } from '../server/src/features/snapshots/fingerprint';
import { toMarkdown } from '../server/src/features/snapshots/export/markdown';
import { toHtml } from '../server/src/features/snapshots/export/html';
import { EXPORT_LAYOUT, type ExportInput } from '../server/src/features/snapshots/export/meta';

const file = process.argv[2];
if (!file) {
  console.error('usage: npx tsx scripts/fingerprint.ts <export.md|export.html>');
  process.exit(2);
}
const text = readFileSync(file, 'utf8');
const match =
  /<!-- common-ground-fingerprint\n([\s\S]*?)\n-->/.exec(text) ??
  /<script type="application\/json" id="common-ground-fingerprint">([\s\S]*?)<\/script>/.exec(text);
if (!match) {
  console.error('no embedded fingerprint data found (only .md and .html exports carry it)');
  process.exit(2);
}
const proof = JSON.parse(match[1]) as ExportInput & { hash: string; prevHash: string | null; layout?: number };
const recomputed = fingerprint(proof.prevHash, proof.content);
const rendered = text.startsWith('<!doctype html>') ? toHtml(proof) : toMarkdown(proof);
const hashOk = recomputed === proof.hash && proof.meta.hash === proof.hash;
const layout = proof.layout ?? 1;
const textOk = rendered === text;
console.log(`stated:     ${proof.hash}\nrecomputed: ${recomputed}`);
console.log(hashOk ? 'OK: the content matches its fingerprint' : 'MISMATCH: the content does not match its fingerprint');
if (layout !== EXPORT_LAYOUT) {
  // Its header and markup were written by another version: a fresh rendering differs whether or not anyone edited it.
  console.log(
    `NOT COMPARED: the file was laid out by ${layout < EXPORT_LAYOUT ? 'an earlier' : 'a later'} version of the exporter (layout ${layout}; this checker renders layout ${EXPORT_LAYOUT}), so its visible text cannot be compared with a fresh rendering. Export the same snapshot again and compare the two files' text.`,
  );
  process.exit(hashOk ? 3 : 1);
}
console.log(textOk ? 'OK: the text of the file is the content' : 'MISMATCH: the text of the file was changed');
process.exit(hashOk && textOk ? 0 : 1);
