import { describe, expect, it } from 'vitest';
import { MAX_BLOCK_LEVELS, tooDeepAt } from '../../server/src/features/suggestions/blockSchema';

/** A block `levels` levels of nodes deep: blockquotes around a paragraph holding a text node. */
function nested(levels: number): unknown {
  let node: unknown = { type: 'text', text: 'deep' };
  for (let level = 2; level <= levels; level++) node = { type: level === 2 ? 'paragraph' : 'blockquote', content: [node] };
  return node;
}

describe("a suggested block's depth, bounded before its schema is checked", () => {
  it('allows exactly the levels the text may hold and refuses one more, saying where', () => {
    expect(tooDeepAt([nested(MAX_BLOCK_LEVELS)], MAX_BLOCK_LEVELS)).toBeNull();
    expect(tooDeepAt([nested(MAX_BLOCK_LEVELS + 1)], MAX_BLOCK_LEVELS)).toBe(`/0${'/content/0'.repeat(MAX_BLOCK_LEVELS)}`);
  });

  it('finds the deep one among shallow blocks and siblings', () => {
    const wide = {
      type: 'paragraph',
      content: [
        { type: 'text', text: 'a' },
        { type: 'text', text: 'b' },
      ],
    };
    const deepSecond = { type: 'blockquote', content: [wide, nested(4)] };
    expect(tooDeepAt([wide, deepSecond], 4)).toBe(`/1/content/1${'/content/0'.repeat(3)}`);
    expect(tooDeepAt([wide, deepSecond], 5)).toBeNull();
  });

  it('walks a body 100,000 levels deep without a stack overflow', () => {
    expect(tooDeepAt([nested(100_000)], MAX_BLOCK_LEVELS)).toMatch(/^\/0(\/content\/0)+$/);
  });

  it('leaves what is not a list of nodes with content arrays to the schema', () => {
    for (const blocks of [undefined, null, 'x', 42, {}, [null, 1, 'x', { content: 'not an array' }, { content: { 0: {} } }]]) {
      expect(tooDeepAt(blocks, 1)).toBeNull();
    }
  });
});
