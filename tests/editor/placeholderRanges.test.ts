import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import type { Node as PMNode } from '@tiptap/pm/model';
import { documentSchema } from '#shared/schema';

/**
 * The template prompts (@tiptap/extension-placeholder) re-scan the top-level blocks an edit
 * touched. Stock 3.31.3 found them by calling back for every block of the document on every
 * keystroke; the patch (patches/@tiptap+extensions+3.31.3.patch) starts at the block holding the
 * edit. The function is internal to the package, so this reads it from the installed file (the
 * patched code itself) and checks it against the stock walk on every range of a document.
 */
const file = createRequire(import.meta.url)
  .resolve('@tiptap/extensions')
  .replace(/index\.c?js$/, 'index.js');
const source = /function getTopLevelBlocksInRange\(doc, from, to\) \{[\s\S]*?\n\treturn ranges;\n\}/.exec(readFileSync(file, 'utf8'))?.[0];
type Ranges = { from: number; to: number }[];

function stockWalk(doc: PMNode, from: number, to: number): Ranges {
  const ranges: Ranges = [];
  doc.forEach((node, offset) => {
    if (offset + 1 < to && offset + node.nodeSize + 1 > from) ranges.push({ from: offset, to: offset + node.nodeSize });
  });
  return ranges;
}

describe('the template prompts re-scan only the blocks an edit touched', () => {
  it('is the patched function that is installed', () => {
    expect(source).toContain('Patched (Common Ground)');
  });

  it('finds the same blocks as the stock walk for every range of a document', () => {
    const patched = new Function(`${source}; return getTopLevelBlocksInRange;`)() as (doc: PMNode, from: number, to: number) => Ranges;
    const schema = documentSchema();
    const blocks = ['Intent', '', 'a', 'Shared objectives', 'the parties agree', '', 'x y z'].map((text, i) =>
      i % 3 === 0
        ? schema.nodes.heading.create({ level: 2 }, text ? schema.text(text) : null)
        : schema.nodes.paragraph.create(null, text ? schema.text(text) : null),
    );
    const doc = schema.nodes.doc.create(null, blocks);
    const size = doc.content.size;
    for (let from = 0; from <= size + 1; from++)
      for (let to = from; to <= size + 2; to++) expect(patched(doc, from, to), `${from}..${to}`).toEqual(stockWalk(doc, from, to));
  });
});
