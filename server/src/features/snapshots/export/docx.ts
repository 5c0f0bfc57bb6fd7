import { DeletedTextRun, Document, HeadingLevel, InsertedTextRun, Packer, Paragraph, TextRun, type IParagraphOptions, type ParagraphChild } from 'docx';
import type { ProseMirrorJSON } from '#shared/snapshots';
import { describe, type ExportInput } from './meta';
import { readableContent } from './readable';

const HEADINGS = [HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4, HeadingLevel.HEADING_5, HeadingLevel.HEADING_6];

/** A Word document of a document, the format legal teams work in; the fingerprint is in its text and its properties. */
export async function toDocx({ meta, content }: ExportInput): Promise<Buffer> {
  const body = readableContent(content, meta.parties ?? []);
  const header = describe(meta).map((line) => new Paragraph({ children: [new TextRun({ text: line, size: 18, color: '555555' })] }));
  const doc = new Document({
    title: `${meta.agreementTitle}: ${meta.label}`,
    subject: meta.label,
    description: `SHA-256 fingerprint ${meta.hash}; previous ${meta.prevHash ?? 'none'}`,
    creator: 'Common Ground',
    sections: [
      {
        children: [
          new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(meta.agreementTitle)] }),
          ...header,
          new Paragraph({}),
          ...new DocxBody(meta.createdAt).blocks(body.content ?? [], 0),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/** What a redline names: the agreement, the versions compared, and the date of changes that carry none. */
export interface RedlineInput {
  agreementTitle: string;
  /** E.g. "Draft 2 → Live text", or "Open suggestions on the live text". */
  label: string;
  /** Lines under the title (versions, fingerprints, what the changes are). */
  lines: string[];
  /** The date given to changes whose marks carry no `date` (a diff knows who, not when). */
  changeDate: string;
  /** The text with `insertion` / `deletion` marks whose attrs name the author (`name`, optional `date`). */
  content: ProseMirrorJSON;
  parties: { id: string; name: string }[];
}

/**
 * A Word document whose changes are real tracked changes (`w:ins` / `w:del` with author
 * and date): Word and LibreOffice list them by author and can accept or reject each.
 */
export async function toRedlineDocx(input: RedlineInput): Promise<Buffer> {
  const body = readableContent(input.content, input.parties);
  const doc = new Document({
    title: `${input.agreementTitle}: ${input.label}`,
    subject: input.label,
    creator: 'Common Ground',
    sections: [
      {
        children: [
          new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(input.agreementTitle)] }),
          ...input.lines.map((line) => new Paragraph({ children: [new TextRun({ text: line, size: 18, color: '555555' })] })),
          new Paragraph({}),
          ...new DocxBody(input.changeDate).blocks(body.content ?? [], 0),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

type Change = { id: number; author: string; date: string };

/** Renders ProseMirror blocks as Word paragraphs; numbers tracked changes (ids must be unique in a document). */
class DocxBody {
  private nextChangeId = 1;

  constructor(private readonly fallbackDate: string) {}

  blocks(nodes: ProseMirrorJSON[], level: number): Paragraph[] {
    return nodes.flatMap((node) => this.block(node, level));
  }

  private paragraph(children: ProseMirrorJSON[], options: IParagraphOptions, lead: ParagraphChild[] = []): Paragraph {
    return new Paragraph({ ...options, children: [...lead, ...this.runs(children)], run: this.paragraphMark(children) });
  }

  private block(node: ProseMirrorJSON, level: number): Paragraph[] {
    const children = node.content ?? [];
    switch (node.type) {
      case 'paragraph':
        return [this.paragraph(children, { indent: level > 0 ? { left: 360 * level } : undefined })];
      case 'heading':
        return [this.paragraph(children, { heading: HEADINGS[Math.min(4, Number(node.attrs?.level ?? 1) - 1)] })];
      case 'bulletList':
      case 'orderedList':
        return children.flatMap((item, i) => {
          const [first, ...rest] = item.content ?? [];
          const marker = node.type === 'orderedList' ? `${Number(node.attrs?.start ?? 1) + i}. ` : '';
          const options: IParagraphOptions = node.type === 'bulletList' ? { bullet: { level: Math.min(8, level) } } : { indent: { left: 360 * (level + 1) } };
          return [this.paragraph(first?.content ?? [], options, [new TextRun(marker)]), ...this.blocks(rest, level + 1)];
        });
      case 'blockquote':
        return this.blocks(children, level + 1);
      case 'codeBlock':
        return [new Paragraph({ children: [new TextRun({ text: children.map((c) => c.text ?? '').join(''), font: 'Courier New' })] })];
      case 'horizontalRule':
        return [new Paragraph({ children: [new TextRun('———')] })];
      default:
        return children.some((c) => c.type === 'text') ? [this.paragraph(children, {})] : this.blocks(children, level);
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
      if (marks.every((m) => m && m.attrs?.name === marks[0]?.attrs?.name)) return { [kind]: this.change(marks[0] as { attrs?: Record<string, unknown> }) };
    }
    return undefined;
  }

  private runs(nodes: ProseMirrorJSON[]): ParagraphChild[] {
    return nodes.flatMap((node): ParagraphChild[] => {
      if (node.type === 'hardBreak') return [new TextRun({ text: '', break: 1 })];
      if (node.type !== 'text') return this.runs(node.content ?? []);
      const mark = (type: string) => node.marks?.find((m) => m.type === type);
      const options = {
        text: node.text ?? '',
        bold: !!mark('bold'),
        italics: !!mark('italic'),
        strike: !!mark('strike'),
        underline: mark('underline') ? {} : undefined,
        font: mark('code') ? 'Courier New' : undefined,
      };
      const inserted = mark('insertion');
      const deleted = mark('deletion');
      if (inserted) return [new InsertedTextRun({ ...options, ...this.change(inserted) })];
      if (deleted) return [new DeletedTextRun({ ...options, ...this.change(deleted) })];
      return [new TextRun(options)];
    });
  }
}

/** Word wants an ISO date without milliseconds (`2024-05-01T10:00:00Z`). */
function wordDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
