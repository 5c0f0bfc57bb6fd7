import { Document, HeadingLevel, Packer, Paragraph, TextRun, type ParagraphChild } from 'docx';
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
        children: [new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(meta.agreementTitle)] }), ...header, new Paragraph({}), ...blocks(body.content ?? [], 0)],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

function blocks(nodes: ProseMirrorJSON[], level: number): Paragraph[] {
  return nodes.flatMap((node) => block(node, level));
}

function block(node: ProseMirrorJSON, level: number): Paragraph[] {
  const children = node.content ?? [];
  switch (node.type) {
    case 'paragraph':
      return [new Paragraph({ children: runs(children), indent: level > 0 ? { left: 360 * level } : undefined })];
    case 'heading':
      return [new Paragraph({ heading: HEADINGS[Math.min(4, Number(node.attrs?.level ?? 1) - 1)], children: runs(children) })];
    case 'bulletList':
    case 'orderedList':
      return children.flatMap((item, i) => {
        const [first, ...rest] = item.content ?? [];
        const marker = node.type === 'orderedList' ? `${Number(node.attrs?.start ?? 1) + i}. ` : '';
        const lead = new Paragraph({
          children: [new TextRun(marker), ...runs(first?.content ?? [])],
          ...(node.type === 'bulletList' ? { bullet: { level: Math.min(8, level) } } : { indent: { left: 360 * (level + 1) } }),
        });
        return [lead, ...blocks(rest, level + 1)];
      });
    case 'blockquote':
      return blocks(children, level + 1);
    case 'codeBlock':
      return [new Paragraph({ children: [new TextRun({ text: children.map((c) => c.text ?? '').join(''), font: 'Courier New' })] })];
    case 'horizontalRule':
      return [new Paragraph({ children: [new TextRun('———')] })];
    default:
      return children.some((c) => c.type === 'text') ? [new Paragraph({ children: runs(children) })] : blocks(children, level);
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
