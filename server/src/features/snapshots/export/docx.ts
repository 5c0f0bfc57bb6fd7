import { AlignmentType, Document, HeadingLevel, LevelFormat, Packer, Paragraph, TextRun, type ParagraphChild } from 'docx';
import type { ProseMirrorJSON } from '#shared/snapshots';
import { describe, type ExportInput } from './meta';
import { readableContent } from './readable';

const HEADINGS = [HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4, HeadingLevel.HEADING_5, HeadingLevel.HEADING_6];

/** Word's own list numbering, one definition per first number; each ordered list is an instance of its own (so each counts from its start). */
class Numbering {
  private instances = 0;
  readonly starts = new Set<number>();

  /** The numbering of a new ordered list starting at `start`. */
  list(start: number): { reference: string; instance: number } {
    this.starts.add(start);
    return { reference: `ordered-${start}`, instance: ++this.instances };
  }

  config() {
    return [...this.starts].map((start) => ({
      reference: `ordered-${start}`,
      levels: Array.from({ length: 9 }, (_, level) => ({
        level,
        format: LevelFormat.DECIMAL,
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
  const body = readableContent(content, meta.parties ?? [], meta.agreementTitle);
  const header = describe(meta).map((line) => new Paragraph({ children: [new TextRun({ text: line, size: 18, color: '555555' })] }));
  const numbering = new Numbering();
  const paragraphs = blocks(body.content ?? [], 0, numbering);
  const doc = new Document({
    numbering: { config: numbering.config() },
    title: `${meta.agreementTitle}: ${meta.label}`,
    subject: meta.label,
    description: `SHA-256 fingerprint ${meta.hash}; previous ${meta.prevHash ?? 'none'}`,
    creator: 'Common Ground',
    sections: [
      {
        children: [new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(meta.agreementTitle)] }), ...header, new Paragraph({}), ...paragraphs],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

function blocks(nodes: ProseMirrorJSON[], level: number, numbering: Numbering): Paragraph[] {
  return nodes.flatMap((node) => block(node, level, numbering));
}

function block(node: ProseMirrorJSON, level: number, numbering: Numbering): Paragraph[] {
  const children = node.content ?? [];
  switch (node.type) {
    case 'paragraph':
      return [new Paragraph({ children: runs(children), indent: level > 0 ? { left: 360 * level } : undefined })];
    case 'heading':
      return [new Paragraph({ heading: HEADINGS[Math.min(4, Number(node.attrs?.level ?? 1) - 1)], children: runs(children) })];
    case 'bulletList':
    case 'orderedList': {
      const list = node.type === 'orderedList' ? numbering.list(Number(node.attrs?.start ?? 1)) : null;
      return children.flatMap((item) => {
        const [first, ...rest] = item.content ?? [];
        const lead = new Paragraph({
          children: runs(first?.content ?? []),
          ...(list ? { numbering: { ...list, level: Math.min(8, level) } } : { bullet: { level: Math.min(8, level) } }),
        });
        return [lead, ...blocks(rest, level + 1, numbering)];
      });
    }
    case 'blockquote':
      return blocks(children, level + 1, numbering);
    case 'codeBlock':
      return [new Paragraph({ children: [new TextRun({ text: children.map((c) => c.text ?? '').join(''), font: 'Courier New' })] })];
    case 'horizontalRule':
      return [new Paragraph({ children: [new TextRun('———')] })];
    default:
      return children.some((c) => c.type === 'text') ? [new Paragraph({ children: runs(children) })] : blocks(children, level, numbering);
  }
}

function runs(nodes: ProseMirrorJSON[]): ParagraphChild[] {
  return nodes.flatMap((node): ParagraphChild[] => {
    if (node.type === 'hardBreak') return [new TextRun({ text: '', break: 1 })];
    if (node.type !== 'text') return runs(node.content ?? []);
    const has = (type: string) => node.marks?.some((m) => m.type === type) ?? false;
    return [
      new TextRun({
        text: node.text ?? '',
        bold: has('bold'),
        italics: has('italic'),
        strike: has('strike'),
        underline: has('underline') ? {} : undefined,
        font: has('code') ? 'Courier New' : undefined,
      }),
    ];
  });
}
