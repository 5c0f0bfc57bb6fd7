import { expect, it } from 'vitest';
import type { ProseMirrorJSON } from '#shared/snapshots';
import { readableContent } from '../../server/src/features/snapshots/export/readable';
import { toMarkdown } from '../../server/src/features/snapshots/export/markdown';
import { toHtml } from '../../server/src/features/snapshots/export/html';
import { toDocx } from '../../server/src/features/snapshots/export/docx';
import type { ExportMeta } from '../../server/src/features/snapshots/export/meta';
import { readZip } from '../support/zip';

const meta: ExportMeta = {
  agreementTitle: 'River Partnership',
  label: 'Draft',
  createdAt: '2026-01-01T00:00:00.000Z',
  hash: 'a'.repeat(64),
  prevHash: null,
  live: true,
  parties: [],
};
const heading = (level: unknown, text: string): ProseMirrorJSON =>
  ({ type: 'heading', attrs: { level }, content: [{ type: 'text', text }] }) as ProseMirrorJSON;

// Text stored before suggested blocks were checked may hold any heading level: one bad level
// made every heading of an export NaN (no headings in Markdown, <hNaN> in HTML, an invalid .docx).
it('headings with levels no editor makes (a string, 99, 0, negative, missing) export as headings with levels 1 to 6', async () => {
  const doc: ProseMirrorJSON = {
    type: 'doc',
    content: [
      heading(2, 'Sections'),
      heading('<x>', 'Bad'),
      heading(99, 'Deep'),
      heading(0, 'Zero'),
      heading(-3, 'Negative'),
      heading(null, 'Null'),
      heading(3.5, 'Half'),
    ],
  };
  const levels: unknown[] = [];
  const collect = (node: ProseMirrorJSON) => {
    if (node.type === 'heading') levels.push(node.attrs?.level);
    node.content?.forEach(collect);
  };
  collect(readableContent(doc, []));
  expect(levels).toHaveLength(7);
  for (const level of levels) expect(Number.isInteger(level) && (level as number) >= 1 && (level as number) <= 6, String(level)).toBe(true);

  const md = toMarkdown({ meta, content: doc });
  for (const text of ['Sections', 'Bad', 'Deep', 'Zero', 'Negative', 'Null', 'Half']) expect(md).toMatch(new RegExp(`^#{2,6} ${text}$`, 'm'));
  const html = toHtml({ meta, content: doc });
  expect(html).not.toContain('NaN');
  expect(html).toMatch(/<h[2-6]>Bad<\/h[2-6]>/);
  const xml = readZip(await toDocx({ meta, content: doc }))
    .get('word/document.xml')!
    .toString('utf8');
  expect(xml).not.toContain('NaN');
  expect([...xml.matchAll(/<w:outlineLvl w:val="([^"]*)"\/>/g)].every(([, v]) => /^[0-8]$/.test(v))).toBe(true);
});
