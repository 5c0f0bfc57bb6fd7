import { MarkdownSerializer, defaultMarkdownSerializer } from 'prosemirror-markdown';
import { documentSchema } from '#shared/schema';
import { safeHref } from '#shared/safeLinks';
import type { ProseMirrorJSON } from '#shared/snapshots';
import { describe, embeddedProof, PROOF_END, PROOF_START, type ExportInput } from './meta';
import { readableContent } from './readable';
import { listNumbering } from './listNumbering';

const { nodes, marks } = defaultMarkdownSerializer;

/**
 * prosemirror-markdown's CommonMark serializer, mapped onto our schema's names. It escapes
 * text and nests and splits marks properly (whitespace is moved out of emphasis, a mark that
 * starts inside another closes in order), which string concatenation did not.
 * Headings go one level down: the agreement's title is the file's only `#`.
 */
export const markdownSerializer = new MarkdownSerializer(
  {
    doc: (state, node) => state.renderContent(node),
    paragraph: nodes.paragraph,
    heading(state, node) {
      state.write(`${state.repeat('#', Math.min(6, Number(node.attrs.level ?? 1) + 1))} `);
      state.renderInline(node, false);
      state.closeBlock(node);
    },
    blockquote: nodes.blockquote,
    codeBlock(state, node) {
      const backticks = node.textContent.match(/`{3,}/gm);
      const fence = backticks ? `${backticks.sort().slice(-1)[0]}\`` : '```';
      state.write(`${fence}${String(node.attrs.language ?? '')}\n`);
      state.text(node.textContent, false);
      state.write('\n');
      state.write(fence);
      state.closeBlock(node);
    },
    horizontalRule(state, node) {
      state.write('---');
      state.closeBlock(node);
    },
    bulletList(state, node) {
      state.renderList(node, '  ', () => '- ');
    },
    orderedList(state, node) {
      // Markdown numbers only in digits: a list in letters or roman numerals keeps its place in the count.
      const { start } = listNumbering(node.attrs);
      const width = String(start + node.childCount - 1).length;
      state.renderList(node, state.repeat(' ', width + 2), (i) => {
        const n = String(start + i);
        return `${state.repeat(' ', width - n.length)}${n}. `;
      });
    },
    listItem: nodes.list_item,
    hardBreak(state, node, parent, index) {
      // A Markdown heading is one line: a break in one ended it and made the rest a paragraph.
      if (parent.type.name === 'heading') state.write(' ');
      else nodes.hard_break(state, node, parent, index);
    },
    text(state, node, parent, index) {
      // A link whose text is its address is written `<address>`, unescaped (prosemirror-markdown's own case).
      if ((state as { inAutolink?: boolean }).inAutolink) return nodes.text(state, node, parent, index);
      // The first text of a block (a heading's follows its `#`), and the text after a line break,
      // starts a line: what would begin a list, heading, quote or code block there is escaped too
      // (prosemirror-markdown escapes this only at a block's start, and not all of it).
      const heading = parent.type.name === 'heading';
      const lineStart = !heading && (index === 0 || parent.child(index - 1).type.name === 'hardBreak');
      let escaped = state.esc(node.text ?? '', lineStart);
      if (lineStart) escaped = escapeLineStart(escaped);
      // A heading's closing `#`s are not its text ("Clause #" read "Clause").
      if (heading && index === parent.childCount - 1) escaped = escaped.replace(/(^|\s)(#+)(\s*)$/, '$1\\$2$3');
      state.text(escaped, false);
    },
  },
  {
    italic: marks.em,
    bold: marks.strong,
    strike: { open: '~~', close: '~~', mixable: true, expelEnclosingWhitespace: true },
    // Markdown has no underline: the text stays, unmarked.
    underline: { open: '', close: '', mixable: true },
    code: marks.code,
    // Targets were made safe by safeLinks() before serializing; prosemirror-markdown escapes
    // the parentheses and quotes that could end the link early.
    link: marks.link,
  },
  {
    hardBreakNodeName: 'hardBreak',
    // `<` starts HTML, a comment or an autolink, `&` an entity ("AT&amp;T" read "AT&T"): both are text here.
    escapeExtraCharacters: /<|&(?=#?[0-9A-Za-z]+;)/g,
  },
);

/**
 * What prosemirror-markdown leaves at the start of a line that Markdown still reads as markup:
 * "1)" or a bare "2." (an ordered list), a bare "+" (a list), "=" (the line before becomes a
 * heading) and leading spaces or tabs (stripped, or code from four on), written as character
 * references so the line reads as it is.
 */
function escapeLineStart(text: string): string {
  return text
    .replace(/^[ \t]+/, (space) => space.replace(/[ \t]/g, (c) => `&#${c.charCodeAt(0)};`))
    .replace(/^(\d{1,9})([.)])(?=\s|$)/, '$1\\$2')
    .replace(/^([+=])/, '\\$1');
}

/** Markdown of a document; objective blocks are first lowered to labelled paragraphs. */
export function toMarkdown({ meta, content }: ExportInput): string {
  const readable = readableContent(content, meta.parties ?? [], meta.agreementTitle, undefined, meta.stances);
  const header = describe(meta)
    .map((line) => `> ${escapeInline(line)}`)
    .join('  \n');
  const body = markdownSerializer.serialize(documentSchema().nodeFromJSON(safeLinks(readable)), { tightLists: true });
  return `# ${escapeInline(meta.agreementTitle)}\n\n${header}\n\n---\n\n${body}\n\n${PROOF_START}\n${embeddedProof({ meta, content })}\n${PROOF_END}\n`;
}

function escapeInline(text: string): string {
  return text.replace(/([\\`*_[\]#<>~&])/g, '\\$1');
}

/** The document with every link target normalised by safeHref; a link to anything else keeps only its text. */
function safeLinks(node: ProseMirrorJSON): ProseMirrorJSON {
  const marks = node.marks?.flatMap((mark) => {
    if (mark.type !== 'link') return [mark];
    const href = safeHref(mark.attrs?.href);
    return href ? [{ ...mark, attrs: { ...mark.attrs, href } }] : [];
  });
  return {
    ...node,
    ...(node.marks ? { marks } : {}),
    ...(node.content ? { content: node.content.map(safeLinks) } : {}),
  };
}
