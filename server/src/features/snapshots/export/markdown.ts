import type { ProseMirrorJSON } from '#shared/snapshots';
import { describe, embeddedProof, PROOF_END, PROOF_START, type ExportInput } from './meta';
import { readableContent } from './readable';

/** Markdown of a document; unknown nodes (objective blocks, say) render their content. */
export function toMarkdown({ meta, content }: ExportInput): string {
  const readable = readableContent(content, meta.parties ?? []);
  const header = describe(meta).map((line) => `> ${escapeInline(line)}`).join('  \n');
  const body = blocks(readable.content ?? [], '');
  return `# ${escapeInline(meta.agreementTitle)}\n\n${header}\n\n---\n\n${body}\n\n${PROOF_START}\n${embeddedProof({ meta, content })}\n${PROOF_END}\n`;
}

function blocks(nodes: ProseMirrorJSON[], indent: string): string {
  return nodes.map((node) => block(node, indent)).filter((text) => text.length > 0).join('\n\n');
}

function block(node: ProseMirrorJSON, indent: string): string {
  const children = node.content ?? [];
  switch (node.type) {
    case 'paragraph':
      return indent + inline(children);
    case 'heading':
      return `${indent}${'#'.repeat(Math.min(6, Number(node.attrs?.level ?? 1)) + 1)} ${inline(children)}`;
    case 'bulletList':
    case 'orderedList':
      return children
        .map((item, i) => {
          const bullet = node.type === 'bulletList' ? '- ' : `${Number(node.attrs?.start ?? 1) + i}. `;
          const text = blocks(item.content ?? [], indent + ' '.repeat(bullet.length));
          return indent + bullet + text.slice(indent.length + bullet.length);
        })
        .join('\n');
    case 'blockquote':
      return blocks(children, indent)
        .split('\n')
        .map((line) => `${indent}> ${line.slice(indent.length)}`)
        .join('\n');
    case 'codeBlock':
      return `${indent}\`\`\`\n${children.map((c) => c.text ?? '').join('')}\n${indent}\`\`\``;
    case 'horizontalRule':
      return `${indent}---`;
    default:
      return children.some((c) => c.type === 'text') ? indent + inline(children) : blocks(children, indent);
  }
}

function inline(nodes: ProseMirrorJSON[]): string {
  return nodes
    .map((node) => {
      if (node.type === 'hardBreak') return '  \n';
      if (node.type !== 'text') return inline(node.content ?? []);
      let text = node.marks?.some((m) => m.type === 'code') ? `\`${node.text ?? ''}\`` : escapeInline(node.text ?? '');
      for (const mark of node.marks ?? []) {
        if (mark.type === 'bold') text = `**${text}**`;
        else if (mark.type === 'italic') text = `*${text}*`;
        else if (mark.type === 'strike') text = `~~${text}~~`;
        else if (mark.type === 'link') text = `[${text}](${String(mark.attrs?.href ?? '')})`;
      }
      return text;
    })
    .join('');
}

function escapeInline(text: string): string {
  return text.replace(/([\\`*_[\]#<>~])/g, '\\$1');
}
