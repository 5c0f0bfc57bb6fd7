/**
 * Checks a Common Ground export (.md or .html) against its fingerprint:
 *
 *   npx tsx scripts/fingerprint.ts "River Partnership - Draft.md"
 *
 * 1. recomputes fingerprint = SHA-256 hex of (previous fingerprint or '') + '\n' +
 *    canonical JSON (keys sorted at every level) of the ProseMirror JSON the export embeds;
 * 2. renders that JSON again and compares it with the file, so an edit to the visible
 *    text is caught too.
 * Exits 0 when both hold, 1 when not, 2 when the file carries no fingerprint data.
 */
import { readFileSync } from 'node:fs';
import { fingerprint } from '../server/src/features/snapshots/fingerprint';
import { toMarkdown } from '../server/src/features/snapshots/export/markdown';
import { toHtml } from '../server/src/features/snapshots/export/html';
import type { ExportInput } from '../server/src/features/snapshots/export/meta';

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
const proof = JSON.parse(match[1]) as ExportInput & { hash: string; prevHash: string | null };
const recomputed = fingerprint(proof.prevHash, proof.content);
const rendered = text.startsWith('<!doctype html>') ? toHtml(proof) : toMarkdown(proof);
const hashOk = recomputed === proof.hash && proof.meta.hash === proof.hash;
const textOk = rendered === text;
console.log(`stated:     ${proof.hash}\nrecomputed: ${recomputed}`);
console.log(hashOk ? 'OK: the content matches its fingerprint' : 'MISMATCH: the content does not match its fingerprint');
console.log(textOk ? 'OK: the text of the file is the content' : 'MISMATCH: the text of the file was changed');
process.exit(hashOk && textOk ? 0 : 1);
