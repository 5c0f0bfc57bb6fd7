import { expect, it } from 'vitest';
import type { ProseMirrorJSON } from '#shared/snapshots';
import { toHtml } from '../../server/src/features/snapshots/export/html';
import { fingerprint } from '../../server/src/features/snapshots/fingerprint';
import type { ExportMeta } from '../../server/src/features/snapshots/export/meta';
import { heading, paragraph } from '../support/document';
import { checkExportFile } from '../support/fingerprintScript';

/** Runs the documented checker on an HTML export; answers its exit code and what it printed. */
const check = (text: string) => checkExportFile('export.html', text);

const content = { type: 'doc', content: [heading(1, 'River Partnership'), paragraph('The partners restore the banks together by 2030.')] } as ProseMirrorJSON;
const hash = fingerprint(null, content);
const meta: ExportMeta = { agreementTitle: 'River Partnership', label: 'Signed', createdAt: '2026-11-02T10:00:00.000Z', hash, prevHash: null, live: false };

// The checker renders the embedded content again and compares it with the file. An export made
// before a change to the exporter's layout (the HTML header's fingerprint in groups, 2026-12-01)
// was then reported as "the text of the file was changed": a false alarm of tampering for the
// legal team that kept it. A file now says which layout it was made with.
it('an export laid out by an earlier version of the exporter is not reported as changed: its fingerprint is checked and its text is said to be not comparable', async () => {
  const current = toHtml({ meta, content });
  // The same export as the exporter wrote it before 2026-12-01: the fingerprint as plain text, broken anywhere, and no layout in the proof.
  const earlier = current
    .replace(/<code class="cg-hash">(.*?)<\/code>/g, (_, groups: string) => groups.replace(/<\/?span>|<wbr>/g, ''))
    .replace('overflow-wrap:anywhere}\n.cg-hash span:not(:last-child){margin-right:.6ch}', 'word-break:break-all}')
    .replace(/"layout":\d+,/, '');
  expect(earlier).toContain(`Fingerprint (SHA-256): ${hash}</li>`);

  const old = await check(earlier);
  expect(old.out).toContain('OK: the content matches its fingerprint');
  expect(old.out).not.toContain('MISMATCH');
  expect(old.out).toMatch(/NOT COMPARED: .*earlier version of the exporter/);
  expect(old.code).toBe(3);

  // A file of today's layout is compared as before: intact it passes, edited it fails.
  expect((await check(current)).code).toBe(0);
  const edited = await check(current.replace('by 2030', 'by 2035'));
  expect(edited.code).toBe(1);
  expect(edited.out).toContain('MISMATCH: the text of the file was changed');
  // A fingerprint that does not hold fails whatever the layout.
  expect((await check(earlier.replace(`"hash":"${hash}"`, `"hash":"${'0'.repeat(64)}"`))).code).toBe(1);
});
