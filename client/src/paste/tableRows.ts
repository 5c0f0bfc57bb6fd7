const BLOCKS = 'p, h1, h2, h3, h4, h5, h6, li, blockquote, pre';

/** A cell's lines: its innermost paragraphs (headings, list items) or, holding none, all it holds. */
function cellLines(cell: HTMLTableCellElement): Node[][] {
  const blocks = Array.from(cell.querySelectorAll(BLOCKS)).filter((block) => !block.querySelector(BLOCKS));
  const lines = blocks.length > 0 ? blocks.map((block) => Array.from(block.childNodes)) : [Array.from(cell.childNodes)];
  return lines.filter((line) => line.some((node) => (node.textContent ?? '').trim() !== ''));
}

/** A table row as one paragraph: its cells' words apart, " | " between cells and a line break between a cell's lines. */
function rowParagraph(doc: Document, row: HTMLTableRowElement): HTMLElement | null {
  const cells = Array.from(row.cells).map(cellLines);
  if (cells.every((lines) => lines.length === 0)) return null;
  const p = doc.createElement('p');
  cells.forEach((lines, i) => {
    if (i > 0) p.append(' | ');
    lines.forEach((line, j) => {
      if (j > 0) p.append(doc.createElement('br'));
      p.append(...line);
    });
  });
  return p;
}

/**
 * The text has no tables (the schema holds none), and ProseMirror drops the table's tags: the
 * cells a spreadsheet puts on the clipboard as bare text ran into one word
 * ("IndicatorBaselineTarget"), and Word's, each a paragraph, lost which figure belonged to which
 * row. Each row becomes a paragraph of its own with its cells kept apart, the innermost tables
 * first so a table in a cell reads as its rows.
 */
export function tablesToRows(html: string): string {
  if (!/<table/i.test(html)) return html;
  const doc = new DOMParser().parseFromString(html, 'text/html');
  for (const table of Array.from(doc.body.querySelectorAll('table')).reverse()) {
    const rows = Array.from(table.rows)
      .map((row) => rowParagraph(doc, row))
      .filter((p): p is HTMLElement => p !== null);
    table.replaceWith(...rows);
  }
  return doc.body.innerHTML;
}
