import {
  AlignmentType,
  DeletedTextRun,
  Document,
  ExternalHyperlink,
  HeadingLevel,
  InsertedTextRun,
  LevelFormat,
  Packer,
  Paragraph,
  Tab,
  TextRun,
  type IParagraphOptions,
  type ParagraphChild,
} from 'docx';
import type { FactChange, ProseMirrorJSON } from '#shared/snapshots';
import { safeHref } from '#shared/safeLinks';
import { byDirection, startsRightToLeft } from '#shared/textDirection';
import { describe, type ExportInput } from './meta';
import { blockChangeOf, readableContent } from './readable';
import { listNumbering, type ListType } from './listNumbering';

const HEADINGS = [HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4, HeadingLevel.HEADING_5, HeadingLevel.HEADING_6];

/**
 * The agreement's title, in Word's Title style but at outline level 1 (0 in Word's count): the
 * Title style is no heading, and without it Word's navigation pane, a PDF saved from Word and a
 * screen reader began the outline at the sections' Heading 2, a skipped level.
 */
const titleParagraph = (title: string) =>
  new Paragraph({
    heading: HeadingLevel.TITLE,
    outlineLevel: 0,
    bidirectional: startsRightToLeft(title),
    children: byDirection(title).map((part) => new TextRun(part)),
  });

/** Word's numbering formats for the editor's kinds of ordered list (digits unless it says otherwise). */
const FORMATS: Record<ListType, (typeof LevelFormat)[keyof typeof LevelFormat]> = {
  a: LevelFormat.LOWER_LETTER,
  A: LevelFormat.UPPER_LETTER,
  i: LevelFormat.LOWER_ROMAN,
  I: LevelFormat.UPPER_ROMAN,
};

/**
 * Word's own list numbering, one definition per first number and kind (digits, letters, roman
 * numerals); each ordered list is an instance of its own (so each counts from its start).
 */
class Numbering {
  private instances = 0;
  readonly kinds = new Map<string, { start: number; type: ListType | null }>();

  /** The numbering of a new ordered list starting at `start`, numbered as `type` says. */
  list(start: number, type: ListType | null): { reference: string; instance: number } {
    const reference = `ordered-${type ?? '1'}-${start}`;
    this.kinds.set(reference, { start, type });
    return { reference, instance: ++this.instances };
  }

  config() {
    return [...this.kinds].map(([reference, { start, type }]) => ({
      reference,
      levels: Array.from({ length: 9 }, (_, level) => ({
        level,
        format: type ? FORMATS[type] : LevelFormat.DECIMAL,
        text: `%${level + 1}.`,
        start,
        alignment: AlignmentType.START,
        style: { paragraph: { indent: { left: 360 * (level + 1), hanging: 360 } } },
      })),
    }));
  }
}

/** A Word document of a document, the format legal teams work in; the fingerprint is in its text and its properties. */
export async function toDocx({ meta, content }: ExportInput): Promise<Buffer> {
  const body = readableContent(content, meta.parties ?? [], meta.agreementTitle, undefined, meta);
  const header = describe(meta).map((line) => new Paragraph({ children: [new TextRun({ text: line, size: 18, color: '555555' })] }));
  const writer = new DocxBody(meta.createdAt);
  const paragraphs = writer.blocks(body.content ?? [], 0);
  const doc = new Document({
    numbering: { config: writer.numbering.config() },
    title: `${meta.agreementTitle}: ${meta.label}`,
    subject: meta.label,
    description: `SHA-256 fingerprint ${meta.hash}; previous ${meta.prevHash ?? 'none'}`,
    creator: 'Common Ground',
    sections: [
      {
        children: [titleParagraph(meta.agreementTitle), ...header, new Paragraph({}), ...paragraphs],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/** What a redline names: the agreement, the versions compared, and the date of changes that carry none. */
export interface RedlineInput {
  agreementTitle: string;
  /** E.g. "Draft 2 → Live text", or "Open suggestions". */
  label: string;
  /** Lines under the title (versions compared, what the changes are). */
  lines: string[];
  /** The date given to changes whose marks carry no `date` (a diff knows who, not when). */
  changeDate: string;
  /** The text with `insertion` / `deletion` marks whose attrs name the author (`name`, optional `date`). */
  content: ProseMirrorJSON;
  parties: { id: string; name: string }[];
  /** A comparison's changed objective facts, shown as tracked changes of their lines. */
  facts?: FactChange[];
  /** A comparison's quick wins whose delivery changed, by objective id: "not yet → yes, marked by …" (redlineLifeCycle.ts). */
  deliveries?: Record<string, string>;
}

/**
 * A Word document whose changes are real tracked changes (`w:ins` / `w:del` with author
 * and date): Word and LibreOffice list them by author and can accept or reject each.
 */
export async function toRedlineDocx(input: RedlineInput): Promise<Buffer> {
  const body = readableContent(input.content, input.parties, input.agreementTitle, { facts: input.facts ?? [], deliveries: input.deliveries });
  const writer = new DocxBody(input.changeDate);
  const paragraphs = writer.blocks(body.content ?? [], 0);
  const doc = new Document({
    numbering: { config: writer.numbering.config() },
    title: `${input.agreementTitle}: ${input.label}`,
    subject: input.label,
    creator: 'Common Ground',
    sections: [
      {
        children: [
          titleParagraph(input.agreementTitle),
          ...input.lines.map((line) => new Paragraph({ children: [new TextRun({ text: line, size: 18, color: '555555' })] })),
          new Paragraph({}),
          ...paragraphs,
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

type Change = { id: number; author: string; date: string };
type BlockChange = NonNullable<ReturnType<typeof blockChangeOf>>;

/**
 * Renders ProseMirror blocks as Word paragraphs. `insertion` / `deletion` marks (a diff's,
 * or suggestions laid over the text) become tracked changes, numbered as Word wants
 * (each id unique in the document).
 */
class DocxBody {
  readonly numbering = new Numbering();
  private nextChangeId = 1;

  constructor(private readonly fallbackDate: string) {}

  /** `inherited`: the change of a block these are inside, added or removed whole with it. */
  blocks(nodes: ProseMirrorJSON[], level: number, inherited: BlockChange | null = null): Paragraph[] {
    return nodes.flatMap((node) => this.block(node, level, inherited));
  }

  /** `whole`: the block was added or removed whole; tracked even with no text to carry it. */
  private paragraph(children: ProseMirrorJSON[], options: IParagraphOptions = {}, whole: BlockChange | null = null, font?: string): Paragraph {
    // A clause written in Arabic or Hebrew is a right-to-left paragraph, as the app shows it (editor.css).
    const rightToLeft = startsRightToLeft(plainText(children));
    return new Paragraph({
      ...options,
      bidirectional: rightToLeft,
      children: this.runs(children, font),
      run: this.paragraphMark(children) ?? this.wholeBlockMark(whole),
    });
  }

  private wholeBlockMark(whole: BlockChange | null): { insertion?: Change; deletion?: Change } | undefined {
    if (!whole) return undefined;
    return { [whole.type === 'added' ? 'insertion' : 'deletion']: this.change({ attrs: { ...whole.author } }) };
  }

  /** A paragraph of one run that is not the text's own (a rule's line), tracked whole when its block is. */
  private wholeTextParagraph(options: { text: string }, whole: BlockChange | null): Paragraph {
    if (!whole) return new Paragraph({ children: [new TextRun(options)] });
    const change = this.change({ attrs: { ...whole.author } });
    const run = whole.type === 'added' ? new InsertedTextRun({ ...options, ...change }) : new DeletedTextRun({ ...options, ...change });
    return new Paragraph({ children: [run], run: this.wholeBlockMark(whole) });
  }

  private block(node: ProseMirrorJSON, level: number, inherited: BlockChange | null): Paragraph[] {
    const children = node.content ?? [];
    // A block inside one added or removed whole (an empty item of a list suggested out) was added or removed with it.
    const whole = blockChangeOf(node) ?? inherited;
    switch (node.type) {
      case 'paragraph':
        return [this.paragraph(children, { indent: level > 0 ? { left: 360 * level } : undefined }, whole)];
      case 'heading': {
        // Each heading states its outline level too: the docx package's heading styles carry none of their own.
        const at = Math.min(4, Number(node.attrs?.level ?? 1) - 1);
        return [this.paragraph(children, { heading: HEADINGS[at], outlineLevel: at + 1 }, whole)];
      }
      case 'bulletList':
      case 'orderedList': {
        const numbered = listNumbering(node.attrs);
        const list = node.type === 'orderedList' ? this.numbering.list(numbered.start, numbered.type) : null;
        return children.flatMap((item) => {
          const itemWhole = blockChangeOf(item) ?? whole;
          const [first, ...rest] = item.content ?? [];
          const lead = this.paragraph(
            first?.content ?? [],
            list ? { numbering: { ...list, level: Math.min(8, level) } } : { bullet: { level: Math.min(8, level) } },
            (first && blockChangeOf(first)) ?? itemWhole,
          );
          return [lead, ...this.blocks(rest, level + 1, itemWhole)];
        });
      }
      case 'blockquote':
        return this.blocks(children, level + 1, whole);
      case 'codeBlock':
        // Its runs carry a comparison's or a suggestion's marks like a paragraph's, in the code font.
        return [this.paragraph(children, {}, whole, 'Courier New')];
      case 'horizontalRule':
        return [this.wholeTextParagraph({ text: '———' }, whole)];
      default:
        return children.some((c) => c.type === 'text') ? [this.paragraph(children, {}, whole)] : this.blocks(children, level, whole);
    }
  }

  private change(mark: { attrs?: Record<string, unknown> }): Change {
    const author = typeof mark.attrs?.name === 'string' && mark.attrs.name ? mark.attrs.name : 'Unknown';
    const date = typeof mark.attrs?.date === 'string' ? mark.attrs.date : this.fallbackDate;
    return { id: this.nextChangeId++, author, date: wordDate(date) };
  }

  /**
   * A paragraph whose every character was inserted (or deleted) by one person was itself
   * inserted (or deleted): its paragraph mark is tracked too, so accepting or rejecting it
   * in Word leaves no empty paragraph behind.
   */
  private paragraphMark(children: ProseMirrorJSON[]): { insertion?: Change; deletion?: Change } | undefined {
    const texts = children.filter((c) => c.type === 'text' && c.text);
    if (texts.length === 0) return undefined;
    for (const kind of ['insertion', 'deletion'] as const) {
      const marks = texts.map((t) => t.marks?.find((m) => m.type === kind));
      const first = marks[0];
      if (first && marks.every((m) => m && m.attrs?.name === first.attrs?.name)) return { [kind]: this.change(first) };
    }
    return undefined;
  }

  /** `font`: the block's own (a code block's), else only code-marked text has one. */
  private runs(nodes: ProseMirrorJSON[], font?: string): ParagraphChild[] {
    return nodes.flatMap((node): ParagraphChild[] => {
      if (node.type === 'hardBreak') return [new TextRun({ text: '', break: 1 })];
      if (node.type !== 'text') return this.runs(node.content ?? [], font);
      const mark = (type: string) => node.marks?.find((m) => m.type === type);
      const options = {
        text: node.text ?? '',
        bold: !!mark('bold'),
        italics: !!mark('italic'),
        strike: !!mark('strike'),
        underline: mark('underline') ? {} : undefined,
        font: mark('code') ? 'Courier New' : font,
      };
      // Where a link points is part of what the text says: a web or mail link stays a link, in Word's
      // own style (any other target keeps its text, as in the other exports).
      const href = mark('link') ? safeHref(mark('link')?.attrs?.href) : null;
      const styled = href ? { ...options, style: 'Hyperlink' } : options;
      const inserted = mark('insertion');
      const deleted = mark('deletion');
      const run = (piece: WordPiece & { rightToLeft: boolean }) => {
        const options = { ...styled, ...piece };
        return inserted
          ? new InsertedTextRun({ ...options, ...this.change(inserted) })
          : deleted
            ? new DeletedTextRun({ ...options, ...this.change(deleted) })
            : new TextRun(options);
      };
      const pieces = byDirection(node.text ?? '')
        .flatMap(({ text, rightToLeft }) => wordPieces(text).map((piece) => ({ ...piece, rightToLeft })))
        .map(run);
      return href ? [new ExternalHyperlink({ link: href, children: pieces })] : pieces;
    });
  }
}

/** One run's worth of a text: its words, the line break before them, or a tab. */
type WordPiece = { text: string; break?: number } | { text?: undefined; children: Tab[] };

/**
 * A text cut where Word needs elements of its own: a line feed or tab inside a run's text is
 * whitespace to Word, so a code block's lines (an annex's budget) and a clause's tabs read as one
 * line with spaces. Each line after the first starts with a break, each tab is Word's tab.
 */
function wordPieces(text: string): WordPiece[] {
  return text.split('\n').flatMap((line, index) =>
    line.split('\t').flatMap((words, tabs): WordPiece[] => [
      ...(tabs > 0 ? [{ children: [new Tab()] }] : []),
      // The text goes as `text`, never as a string child, which the docx package reads as a page-number field ("CURRENT").
      ...(words || (index > 0 && tabs === 0) ? [{ text: words, ...(index > 0 && tabs === 0 ? { break: 1 } : {}) }] : []),
    ]),
  );
}

function plainText(nodes: ProseMirrorJSON[]): string {
  return nodes.map((n) => (n.type === 'text' ? (n.text ?? '') : plainText(n.content ?? []))).join('');
}

/** Word wants an ISO date without milliseconds (`2024-05-01T10:00:00Z`). */
function wordDate(iso: string): string {
  const date = new Date(iso);
  return (Number.isNaN(date.getTime()) ? new Date() : date).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
