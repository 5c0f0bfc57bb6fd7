import { expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import MarkdownIt from 'markdown-it';
import { MarkdownParser } from 'prosemirror-markdown';
import type { Node as PMNode } from '@tiptap/pm/model';
import { documentSchema } from '#shared/schema';
import type { ProseMirrorJSON } from '#shared/snapshots';
import { toMarkdown } from '../../server/src/features/snapshots/export/markdown';
import { toDocx, toRedlineDocx } from '../../server/src/features/snapshots/export/docx';
import { toHtml } from '../../server/src/features/snapshots/export/html';
import { fingerprint } from '../../server/src/features/snapshots/fingerprint';
import { readableContent } from '../../server/src/features/snapshots/export/readable';
import type { ExportMeta } from '../../server/src/features/snapshots/export/meta';
import { heading, objective, paragraph } from '../support/document';
import { readZip } from '../support/zip';
import { docxNumbering } from '../support/docxNumbering';
import { runFingerprint } from '../support/fingerprintScript';

// Issue 15.8: exports render marks with a real Markdown serializer, Word numbering, one title.
const meta: ExportMeta = {
  agreementTitle: 'River Partnership',
  label: 'Draft',
  createdAt: '2026-01-01T00:00:00.000Z',
  hash: 'a'.repeat(64),
  prevHash: null,
  live: false,
  parties: [{ id: 'ngo', name: 'WaterAid Kenya' }],
};
const t = (text: string, ...marks: string[]): ProseMirrorJSON => ({ type: 'text', text, ...(marks.length ? { marks: marks.map((type) => ({ type })) } : {}) });

const content: ProseMirrorJSON = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 1 }, content: [t('River Partnership')] },
    { type: 'heading', attrs: { level: 2 }, content: [t('1. Parties')] },
    { type: 'paragraph', content: [t('AAA ', 'italic'), t('BBB', 'italic', 'bold'), t(' plain *stars* and _under_ [x](y) # not a heading')] },
    { type: 'paragraph', content: [t('bold with trailing space ', 'bold'), t('then text, '), t('struck', 'strike'), t(' and '), t('code', 'code')] },
    // Markdown has no underline; an agreement's underlined term keeps its mark as HTML's <u>.
    { type: 'paragraph', content: [t('The '), t('Donor', 'underline'), t(' pays '), t('<in> full', 'underline', 'bold'), t(' at once.', 'underline')] },
    {
      type: 'orderedList',
      attrs: { start: 3 },
      content: [
        { type: 'listItem', content: [{ type: 'paragraph', content: [t('third')] }] },
        { type: 'listItem', content: [{ type: 'paragraph', content: [t('fourth', 'bold')] }] },
      ],
    },
    { type: 'bulletList', content: [{ type: 'listItem', content: [{ type: 'paragraph', content: [t('a point')] }] }] },
    objective(
      'o1',
      { title: 'Healthy river', intent: 'Healthy', band: 'Some', trigger: 'Drought' },
      { scope: 'ngo', owners: 'Amina', targetDate: '2027-06-30' },
    ) as ProseMirrorJSON,
  ],
};

/** markdown-it reading `<u>` and `</u>` as an underline mark's tokens (any other HTML stays HTML). */
const withUnderline = MarkdownIt('commonmark', { html: true }).enable('strikethrough');
withUnderline.core.ruler.push('underline', (state) => {
  for (const token of state.tokens)
    for (const child of token.children ?? [])
      if (child.type === 'html_inline' && /^<\/?u>$/.test(child.content)) {
        child.type = child.content === '<u>' ? 'underline_open' : 'underline_close';
        child.nesting = child.content === '<u>' ? 1 : -1;
      }
});

/** markdown-it tokens onto our schema, to read an export back. */
const parser = new MarkdownParser(documentSchema(), withUnderline, {
  blockquote: { block: 'blockquote' },
  paragraph: { block: 'paragraph' },
  list_item: { block: 'listItem' },
  bullet_list: { block: 'bulletList' },
  ordered_list: { block: 'orderedList', getAttrs: (tok) => ({ start: Number(tok.attrGet('start') ?? 1) }) },
  heading: { block: 'heading', getAttrs: (tok) => ({ level: Number(tok.tag.slice(1)) - 1 }) },
  code_block: { block: 'codeBlock', noCloseToken: true },
  fence: { block: 'codeBlock', noCloseToken: true },
  hr: { node: 'horizontalRule' },
  hardbreak: { node: 'hardBreak' },
  em: { mark: 'italic' },
  strong: { mark: 'bold' },
  s: { mark: 'strike' },
  underline: { mark: 'underline' },
  link: { mark: 'link', getAttrs: (tok) => ({ href: tok.attrGet('href') }) },
  code_inline: { mark: 'code', noCloseToken: true },
});

/**
 * Each block's text, and the marks on each of its visible characters, so two documents can be
 * compared for what a reader sees. Markdown puts spaces at the edge of a mark outside it
 * (`**a:** b`, not `**a: **b`), so marks on spaces are not compared.
 */
function runs(doc: PMNode): { text: string; marks: string[] }[] {
  const blocks: { text: string; marks: string[] }[] = [];
  doc.descendants((node) => {
    if (!node.isTextblock) return true;
    const marks: string[] = [];
    node.forEach((child) => {
      for (const char of child.text ?? '')
        if (!/\s/.test(char))
          marks.push(
            `${char}:${child.marks
              .map((m) => m.type.name)
              .sort()
              .join(',')}`,
          );
    });
    blocks.push({ text: node.textContent, marks });
    return false;
  });
  return blocks;
}

it('[15.8] the Markdown export reads back through a Markdown parser to the same text and marks', () => {
  const md = toMarkdown({ meta, content });
  const body = md.slice(md.indexOf('\n---\n\n') + 6, md.indexOf('<!-- common-ground-fingerprint'));
  expect(body).not.toContain('**Intent (fixed): **');
  expect(body).toContain('**Intent (fixed):** Healthy');
  expect(body).not.toContain('***BBB**');
  const parsed = parser.parse(body);
  const expected = documentSchema().nodeFromJSON(readableContent(content, meta.parties!, meta.agreementTitle));
  expect(runs(parsed)).toEqual(runs(expected));
  // The title is the file's one `#`: the text's own title heading is not repeated, and its
  // sections come right under it (`##`, read back as level 1).
  expect(md.match(/^# /gm)).toHaveLength(1);
  expect(parsed.content.child(0).attrs.level).toBe(1);
  expect(parsed.content.child(0).textContent).toBe('1. Parties');
  const list = parsed.content.content.find((n) => n.type.name === 'orderedList');
  expect(list?.attrs.start).toBe(3);
});

it('[15.8] the .docx numbers ordered lists with Word numbering and states the title once', async () => {
  const files = readZip(await toDocx({ meta, content }));
  const xml = files.get('word/document.xml')!.toString('utf8');
  const numbering = files.get('word/numbering.xml')?.toString('utf8') ?? '';
  const paragraphs = [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].map((m) => m[0]);
  const third = paragraphs.find((p) => p.includes('>third<'))!;
  expect(third).toContain('<w:numPr>');
  expect(third).not.toMatch(/>\s*3\.\s*</);
  expect(numbering).toContain('w:val="%1."');
  expect(numbering).toMatch(/<w:start w:val="3"\/>/);
  const titles = paragraphs.filter((p) => p.replace(/<[^>]+>/g, '') === 'River Partnership');
  expect(titles).toHaveLength(1);
});

/** The heading levels of an export, in order, each with its text: `['1 River Partnership', '2 1. Parties', …]`. */
const outline = {
  md: (md: string) => [...md.matchAll(/^(#{1,6}) (.*)$/gm)].map((m) => `${m[1].length} ${m[2]}`),
  html: (html: string) => [...html.matchAll(/<h([1-6])>(.*?)<\/h\1>/g)].map((m) => `${m[1]} ${m[2]}`),
  docx: async (bytes: Buffer) => {
    const xml = readZip(bytes).get('word/document.xml')!.toString('utf8');
    return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].flatMap((m) => {
      const style = /<w:pStyle w:val="(Title|Heading(\d))"\/>/.exec(m[0]);
      return style ? [`${style[2] ?? 1} ${m[0].replace(/<[^>]+>/g, '')}`] : [];
    });
  },
};

it('[15.8] an export puts the sections right under the title: with the title heading dropped, no level is skipped', async () => {
  const sections = {
    type: 'doc',
    content: [heading(1, 'River Partnership'), heading(2, '1. Parties'), paragraph('Who we are.'), heading(3, '1.1 Representatives'), heading(2, '2. Vision')],
  } as ProseMirrorJSON;
  const expected = ['1 River Partnership', '2 1. Parties', '3 1.1 Representatives', '2 2. Vision'];
  expect(outline.md(toMarkdown({ meta, content: sections }))).toEqual(expected);
  expect(outline.html(toHtml({ meta, content: sections }))).toEqual(expected);
  expect(await outline.docx(await toDocx({ meta, content: sections }))).toEqual(expected);

  // A text with more than one level-1 heading keeps them below the title.
  const chapters = { type: 'doc', content: [heading(1, 'Part A'), heading(2, 'A.1'), heading(1, 'Part B')] } as ProseMirrorJSON;
  expect(outline.md(toMarkdown({ meta, content: chapters }))).toEqual(['1 River Partnership', '2 Part A', '3 A.1', '2 Part B']);
});

/**
 * The outline of a .docx as Word's navigation pane, its PDF bookmarks and screen readers take it:
 * each paragraph's outline level (its own, else its style's; 9 is body text), counted from 1.
 */
function docxOutlineLevels(bytes: Buffer): string[] {
  const files = readZip(bytes);
  const level = (xml: string) => /<w:outlineLvl w:val="(\d)"\/>/.exec(xml)?.[1];
  const styles = new Map(
    [
      ...files
        .get('word/styles.xml')!
        .toString('utf8')
        .matchAll(/<w:style [^>]*w:styleId="([^"]+)"[\s\S]*?<\/w:style>/g),
    ].map((m) => [m[1], level(m[0])]),
  );
  const xml = files.get('word/document.xml')!.toString('utf8');
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)].flatMap(([p]) => {
    const own = level(p) ?? styles.get(/<w:pStyle w:val="([^"]+)"\/>/.exec(p)?.[1] ?? '');
    return own === undefined || own === '9' ? [] : [`${Number(own) + 1} ${p.replace(/<[^>]+>/g, '')}`];
  });
}

// The .docx's title is set in Word's Title style, which is no heading: Word's navigation pane, a
// PDF saved from Word and a screen reader began the outline at the sections' Heading 2.
it('[15.8] a .docx outline starts at its title: the title is outline level 1 and the sections come right under it, in an export and a redline', async () => {
  const sections = {
    type: 'doc',
    content: [heading(1, 'River Partnership'), heading(2, '1. Parties'), paragraph('Who we are.'), heading(3, '1.1 Representatives'), heading(2, '2. Vision')],
  } as ProseMirrorJSON;
  const expected = ['1 River Partnership', '2 1. Parties', '3 1.1 Representatives', '2 2. Vision'];
  expect(docxOutlineLevels(await toDocx({ meta, content: sections }))).toEqual(expected);
  const redline = await toRedlineDocx({
    agreementTitle: meta.agreementTitle,
    label: 'Draft → Live text',
    lines: [],
    changeDate: meta.createdAt,
    content: sections,
    parties: [],
  });
  expect(docxOutlineLevels(redline)).toEqual(expected);
});

it('an export’s header dates the snapshot in words for people; the embedded proof keeps the exact moment, and the file verifies in any time zone', async () => {
  const at = { ...meta, createdAt: '2026-03-12T14:05:09.123Z', hash: fingerprint(null, content) };
  const md = toMarkdown({ meta: at, content });
  const html = toHtml({ meta: at, content });
  const docx = readZip(await toDocx({ meta: at, content }))
    .get('word/document.xml')!
    .toString('utf8')
    .replace(/<[^>]+>/g, '\n');
  for (const [format, text] of Object.entries({ md, html, docx })) {
    expect(text, format).toContain('Date: 12 March 2026, 14:05:09 UTC');
    expect(text, format).not.toContain('Date: 2026-03-12T14:05:09.123Z');
  }
  // The machine-readable proof is as before: the stored moment, to the millisecond.
  const proof = JSON.parse(/<!-- common-ground-fingerprint\n([\s\S]*?)\n-->/.exec(md)![1]) as { meta: ExportMeta };
  expect(proof.meta.createdAt).toBe('2026-03-12T14:05:09.123Z');
  expect(proof.meta).toEqual(at);

  // scripts/fingerprint.ts renders the file again from its proof wherever it runs.
  const dir = await mkdtemp(join(tmpdir(), 'cg-export-'));
  try {
    for (const [name, text] of [
      ['export.md', md],
      ['export.html', html],
    ]) {
      await writeFile(join(dir, name), text);
      const { stdout } = await runFingerprint(join(dir, name), { ...process.env, TZ: 'Pacific/Kiritimati', LANG: 'de_DE.UTF-8' });
      expect(stdout, name).toContain('OK: the content matches its fingerprint');
      expect(stdout, name).toContain('OK: the text of the file is the content');
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

const headingAt = (level: unknown, text: string): ProseMirrorJSON =>
  ({ type: 'heading', attrs: { level }, content: [{ type: 'text', text }] }) as ProseMirrorJSON;

// Text stored before suggested blocks were checked may hold any heading level: one bad level
// made every heading of an export NaN (no headings in Markdown, <hNaN> in HTML, an invalid .docx).
it('headings with levels no editor makes (a string, 99, 0, negative, missing) export as headings with levels 1 to 6', async () => {
  const doc: ProseMirrorJSON = {
    type: 'doc',
    content: [
      headingAt(2, 'Sections'),
      headingAt('<x>', 'Bad'),
      headingAt(99, 'Deep'),
      headingAt(0, 'Zero'),
      headingAt(-3, 'Negative'),
      headingAt(null, 'Null'),
      headingAt(3.5, 'Half'),
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

it('a clause in Arabic is a right-to-left paragraph in Word, in an export and a redline; an English one stays left to right', async () => {
  const arabic = 'يلتزم الطرفان بتوفير المياه النظيفة (2030).';
  const mixed: ProseMirrorJSON = {
    type: 'doc',
    content: [paragraph('The parties agree.') as ProseMirrorJSON, paragraph(arabic) as ProseMirrorJSON, heading(2, '٣. الأهداف') as ProseMirrorJSON],
  };
  const paragraphsOf = (bytes: Buffer) =>
    [
      ...readZip(bytes)
        .get('word/document.xml')!
        .toString('utf8')
        .matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g),
    ].map((m) => ({
      text: m[0].replace(/<[^>]+>/g, ''),
      bidi: /<w:bidi\/>/.test(m[0]),
      rtlRuns: /<w:rtl\/>/.test(m[0]),
    }));
  const redline = await toRedlineDocx({ agreementTitle: 'اتفاقية الشراكة', label: 'x', lines: [], changeDate: meta.createdAt, content: mixed, parties: [] });
  for (const [name, bytes] of [
    ['export', await toDocx({ meta: { ...meta, agreementTitle: 'اتفاقية الشراكة' }, content: mixed })],
    ['redline', redline],
  ] as const) {
    const paragraphs = paragraphsOf(bytes);
    const find = (text: string) => paragraphs.find((p) => p.text === text);
    expect(find('The parties agree.'), name).toMatchObject({ bidi: false, rtlRuns: false });
    expect(find(arabic), name).toMatchObject({ bidi: true, rtlRuns: true });
    expect(find('٣. الأهداف'), name).toMatchObject({ bidi: true, rtlRuns: true });
    expect(find('اتفاقية الشراكة'), name).toMatchObject({ bidi: true, rtlRuns: true });
  }
});

// A Markdown export is read in a Markdown viewer, which shows HTML and entities, links
// `<address>`, and reads a line that starts with "1)", "- " or "===" (after a line break too) or
// with a tab as a list, a heading or code: the text read something else than the agreement said.
it('text that Markdown would read as markup exports as that very text, in paragraphs of its own', () => {
  const hardBroken = (...lines: string[]): ProseMirrorJSON => ({
    type: 'paragraph',
    content: lines.flatMap((line, i) => [...(i > 0 ? [{ type: 'hardBreak' }] : []), t(line)]),
  });
  const texts = [
    ['Clause 1. <b>not bold</b> & AT&amp;T &copy; 2026'],
    ['Owners: <script>alert(1)</script>'],
    ['See <https://elsewhere.example> and <!-- this is no comment'],
    ['1) The parties meet.'],
    ['2.'],
    ['\tIndented with a tab'],
    ['    Indented with four spaces'],
    ['Title of the annex', '==='],
    ['Payment terms', '- thirty days'],
    ['Payment terms', '1. thirty days'],
    ['Payment terms', '3) sixty days'],
    ['Payment terms', '# not a heading'],
    ['Payment terms', '> not a quote'],
    ['Payment terms', '+ not an item'],
  ];
  // A heading is one line in Markdown: one with a line break in it split into a heading "Payment\" and a paragraph.
  const brokenHeading: ProseMirrorJSON = { ...hardBroken('Payment', 'terms'), type: 'heading', attrs: { level: 2 } };
  const doc: ProseMirrorJSON = {
    type: 'doc',
    content: [...texts.map((lines) => hardBroken(...lines)), heading(2, 'Clause 4 #') as ProseMirrorJSON, brokenHeading],
  };
  const md = toMarkdown({ meta, content: doc });
  const body = md.slice(md.indexOf('\n---\n\n') + 6, md.indexOf('<!-- common-ground-fingerprint'));
  // CommonMark as most viewers read it: HTML on.
  const tokens = MarkdownIt('commonmark').parse(body, {});
  const blocks = tokens.filter((tok) => tok.nesting === 1 || ['code_block', 'fence', 'html_block', 'hr'].includes(tok.type)).map((tok) => tok.type);
  expect(blocks).toEqual([...texts.map(() => 'paragraph_open'), 'heading_open', 'heading_open']);
  const shown = tokens
    .filter((tok) => tok.type === 'inline')
    .map((tok) => (tok.children ?? []).map((c) => (c.type === 'text' ? c.content : c.type === 'hardbreak' ? '\n' : `<${c.type}>`)).join(''));
  expect(shown).toEqual([...texts.map((lines) => lines.join('\n')), 'Clause 4 #', 'Payment terms']);

  // The title in the file's header likewise.
  const titled = toMarkdown({ meta: { ...meta, agreementTitle: 'Smith &amp; Jones <Ltd>' }, content: doc });
  const title = MarkdownIt('commonmark').parse(titled, {})[1];
  expect(title.children?.map((c) => c.content).join('')).toBe('Smith &amp; Jones <Ltd>');
});

// The editor numbers a list from where it starts (typing "3. " starts one at 3) and keeps the
// letters or roman numerals of a list pasted from a Word or web document: the HTML export showed
// 1., 2. for them all, and the .docx 1., 2. where the agreement read a., b. or II.
it('an ordered list keeps its first number and its kind of numbering (letters, roman numerals) in HTML, .docx and Markdown', async () => {
  const list = (start: number, type: string | null, ...items: string[]): ProseMirrorJSON => ({
    type: 'orderedList',
    attrs: { start, type },
    content: items.map((item) => ({ type: 'listItem', content: [paragraph(item) as ProseMirrorJSON] })),
  });
  const lists: ProseMirrorJSON = { type: 'doc', content: [list(3, null, 'third', 'fourth'), list(1, 'a', 'alpha', 'beta'), list(2, 'I', 'two')] };
  const html = toHtml({ meta, content: lists });
  expect([...html.matchAll(/<ol[^>]*>/g)].map((m) => m[0])).toEqual(['<ol start="3">', '<ol type="a">', '<ol start="2" type="I">']);
  // Markdown numbers in digits only: the letters are the items' first words, and each list keeps apart from the one before it.
  const md = toMarkdown({ meta, content: lists });
  expect(
    md
      .slice(md.indexOf('\n---\n\n') + 6, md.indexOf('<!-- common-ground-fingerprint'))
      .split('\n')
      .filter(Boolean),
  ).toEqual(['3. third', '4. fourth', '- a. alpha', '- b. beta', '* II. two']);
  expect(docxNumbering(await toDocx({ meta, content: lists }))).toEqual({
    third: 'decimal 3',
    fourth: 'decimal 3',
    alpha: 'lowerLetter 1',
    beta: 'lowerLetter 1',
    two: 'upperRoman 2',
  });
});

// A link in the agreement ("the fund's rules", pointing at a page) is part of what it says; the
// .docx kept only its words, so a reviewer working in Word never saw where it pointed.
it('a .docx keeps each web or mail link as a Word hyperlink to its target; an unsafe one stays text', async () => {
  const linked = (text: string, href: unknown): ProseMirrorJSON => ({ type: 'text', text, marks: [{ type: 'link', attrs: { href } }] });
  const doc: ProseMirrorJSON = {
    type: 'doc',
    content: [
      { type: 'paragraph', content: [t('Paid under '), linked("the fund's rules", 'https://fund.example/rules?a=1&b=2'), t('.')] },
      {
        type: 'paragraph',
        content: [t('Write to '), linked('the secretariat', 'mailto:desk@fund.example'), t(' or '), linked('click', 'javascript:alert(1)')],
      },
    ],
  };
  const files = readZip(await toDocx({ meta, content: doc }));
  const xml = files.get('word/document.xml')!.toString('utf8');
  const rels = files.get('word/_rels/document.xml.rels')!.toString('utf8');
  const targets = new Map([...rels.matchAll(/<Relationship [^>]*Id="([^"]+)"[^>]*Target="([^"]+)"[^>]*TargetMode="External"/g)].map((m) => [m[1], m[2]]));
  const textOf = (part: string) => part.replace(/<[^>]+>/g, '').replace(/&apos;/g, "'");
  const links = [...xml.matchAll(/<w:hyperlink [^>]*r:id="([^"]+)"[^>]*>([\s\S]*?)<\/w:hyperlink>/g)].map((m) => [textOf(m[2]), targets.get(m[1])]);
  expect(links).toEqual([
    ["the fund's rules", 'https://fund.example/rules?a=1&amp;b=2'],
    ['the secretariat', 'mailto:desk@fund.example'],
  ]);
  expect(textOf(xml)).toContain('Write to the secretariat or click');
});
