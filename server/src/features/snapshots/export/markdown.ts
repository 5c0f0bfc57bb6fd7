import { MarkdownSerializer, defaultMarkdownSerializer } from 'prosemirror-markdown';
import type { Node as PMNode } from '@tiptap/pm/model';
import { documentSchema } from '#shared/schema';
import { safeHref } from '#shared/safeLinks';
import type { ProseMirrorJSON } from '#shared/snapshots';
import { describe, embeddedProof, PROOF_END, PROOF_START, type ExportInput } from './meta';
import { readableContent } from './readable';
import { listLabel, listNumbering } from './listNumbering';

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
    bulletList(state, node, parent, index) {
      const bullet = otherMarker(parent, index) ? '* ' : '- ';
      state.renderList(node, '  ', () => bullet);
    },
    orderedList(state, node, parent, index) {
      const { start, type } = listNumbering(node.attrs);
      const other = otherMarker(parent, index);
      if (type) {
        // Markdown numbers lists in digits only (its "1." read "a." nowhere): a list in letters or roman
        // numerals is a bulleted one whose items start with their letters as the agreement shows them,
        // "- b. to the south", so a reader of the file or of any viewer cites the same "(b)" as the agreement,
        // and the items keep their nesting. A label that falls back to digits is escaped, not read as a list.
        const bullet = other ? '* ' : '- ';
        state.renderList(node, '  ', (i) => `${bullet}${listLabel(start + i, type).replace(/^(\d+)$/, '$1\\')}. `);
        return;
      }
      const width = String(start + node.childCount - 1).length;
      const delimiter = other ? ')' : '.';
      state.renderList(node, state.repeat(' ', width + 2), (i) => {
        const n = String(start + i);
        return `${state.repeat(' ', width - n.length)}${n}${delimiter} `;
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
    // Markdown has no underline. An agreement underlines defined terms and headings' words, and a lawyer
    // reads the mark as part of them: HTML's <u> keeps it (a viewer that renders inline HTML underlines the
    // words, one that does not shows the words or the tags, a plain reader sees the tags). Not <ins>: in a
    // legal text that says "inserted".
    underline: { open: '<u>', close: '</u>', mixable: true, expelEnclosingWhitespace: true },
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

/** How Markdown writes a list's markers: in digits ("1."), or as bullets ("-"; a list in letters or roman numerals too). */
const markerKind = (node: PMNode): 'digits' | 'bullets' | null =>
  node.type.name === 'bulletList' ? 'bullets' : node.type.name === 'orderedList' ? (listNumbering(node.attrs).type ? 'bullets' : 'digits') : null;

/**
 * Whether the list at `index` of `parent` takes the other marker of its kind ("1)" for "1.", "*" for "-"). Two
 * lists side by side with the same marker are one list to a Markdown reader: a schedule's "1." after an
 * annex's "1., 2." read 3. Every other one of a run of lists of a kind takes the other marker, which starts a new list.
 */
function otherMarker(parent: PMNode, index: number): boolean {
  const kind = markerKind(parent.child(index));
  let before = 0;
  while (index - before > 0 && markerKind(parent.child(index - before - 1)) === kind) before++;
  return before % 2 === 1;
}

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
  const readable = readableContent(content, meta.parties ?? [], meta.agreementTitle, undefined, meta);
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
