import { describe, expect, it } from 'vitest';
import { RecordsKey } from '#shared/records';
import { contentRoom } from '#shared/rooms';
import type { ProseMirrorJSON } from '#shared/snapshots';
import type { Suggestion } from '#shared/suggestions';
import { writeRecords } from '../../server/src/records/write';
import { legacyObjective, objective, paragraph, writeDocument } from '../support/document';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { api } from '../support/server';
import { CLAUSE, stage, type Stage } from './setup';

/**
 * Suggested blocks are content the server writes into the text on accept: they are checked
 * against the same schema and rules as every write to the text, and stored as checked.
 */
describe('suggested blocks are checked against the document schema', () => {
  const harness = useHarness();
  /** Between the clause and the objective that follows it. */
  const between = CLAUSE.length + 2;

  /** The stage with an objective `obj1` after the clause. */
  async function withObjective(): Promise<Stage> {
    const s = await stage(harness);
    writeDocument(s.ngo.doc, { type: 'doc', content: [paragraph(CLAUSE), objective('obj1', { title: 'Clean river' })] });
    await waitFor(() => s.server.app.ctx.rooms.with(contentRoom(s.f.agreement.id), (room) => room.doc.getXmlFragment('content').toString().includes('obj1')), {
      what: 'the objective on the server',
    });
    return s;
  }

  const refused = async (s: Stage, body: unknown, what: string) => {
    const answer = await s.suggest(s.tokens.legal, body);
    expect.soft(answer.status, `${what}: ${JSON.stringify(answer.body).slice(0, 120)}`).toBe(400);
    expect.soft(answer.body.error, what).toEqual(expect.any(String));
    expect.soft(answer.body.code, what).toMatch(/^(suggestion_shape|invalid_request)$/);
  };

  const heading = (attrs: unknown): ProseMirrorJSON => ({ type: 'heading', attrs, content: [{ type: 'text', text: 'H' }] }) as ProseMirrorJSON;
  const goal = (attrs: Record<string, unknown>) => objective('fresh1', { title: 'Fair prices' }, attrs) as ProseMirrorJSON;

  it('refuses blocks that are not valid content (400, JSON error), and stores nothing', async () => {
    const s = await withObjective();
    const point = s.anchor(between);
    const cases: [string, ProseMirrorJSON[]][] = [
      ['heading level as a string', [heading({ level: '<x>' })]],
      ['heading level 99', [heading({ level: 99 })]],
      ['heading level 0', [heading({ level: 0 })]],
      ['unknown node type', [{ type: 'nonsense' }]],
      ['unknown node inside a block', [{ type: 'paragraph', content: [{ type: 'nonsense' }] }]],
      ['attrs as an array', [{ type: 'paragraph', attrs: [] as unknown as Record<string, unknown> }]],
      ['an attribute the node does not have', [{ type: 'paragraph', attrs: { onclick: 'x' } }]],
      ['an objective reusing an id in the text', [objective('obj1', { title: 'Copy' }) as ProseMirrorJSON]],
      ['two objectives with one id', [goal({}), goal({})]],
      ['an objective with a null id', [goal({ id: null })]],
      ['an objective with an empty id', [goal({ id: '' })]],
      ['an objective scope that is no party', [goal({ scope: 'nope' })]],
      ['quickWin as a string', [goal({ quickWin: 'yes' })]],
      ['targetDate as a number', [goal({ targetDate: 42 })]],
      ['targetDate not a date', [goal({ targetDate: 'soon' })]],
      ['owners as an object', [goal({ owners: { a: 1 } })]],
      ['indicators as an array', [goal({ indicators: [1, 2] })]],
      // Typed in their fields now: an objective without them, or with words where no page shows them, is no objective the text may hold.
      [
        'owners written as an attribute',
        [{ ...legacyObjective('fresh1', { title: 'Fair prices' }), attrs: { id: 'fresh1', owners: 'Amina' } } as ProseMirrorJSON],
      ],
      ['an objective without its owners and indicators fields', [legacyObjective('fresh1', { title: 'Fair prices' }) as ProseMirrorJSON]],
      ['owners longer than any attribute may be', [goal({ owners: 'o'.repeat(10_001) })]],
      [
        'a javascript: link',
        [{ type: 'paragraph', content: [{ type: 'text', text: 'click', marks: [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }] }] }],
      ],
      ['an unknown mark', [{ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [{ type: 'blink' }] }] }]],
      ['a mark with an object attribute', [{ type: 'paragraph', content: [{ type: 'text', text: 'x', marks: [{ type: 'bold', attrs: { a: { b: 1 } } }] }] }]],
      ['an empty text node', [{ type: 'paragraph', content: [{ type: 'text', text: '' }] }]],
    ];
    for (const [what, blocks] of cases) await refused(s, { anchor: point, blocks }, what);
    for (const bad of ['\u0000', '\u0001', '\u001b[31m', '\u007f', '\u009b', '\ud800', '\u202e', '\u2066']) {
      const what = `control, bidi or broken character U+${bad.charCodeAt(0).toString(16)}`;
      await refused(s, { anchor: point, blocks: [{ type: 'paragraph', content: [{ type: 'text', text: `a${bad}b` }] }] }, `${what} in blocks`);
      await refused(s, { anchor: s.anchor(1, 4), text: `a${bad}b` }, `${what} in text`);
    }
    expect(await s.list()).toEqual([]);
    expect(s.paragraphs()[0]).toBe(CLAUSE);
  });

  it('deep nesting is a 400, never a 500 (mark attributes, content)', async () => {
    const s = await withObjective();
    const anchor = JSON.stringify(s.anchor(between));
    const deep = 10_000;
    const deepAttrs = `${'{"a":'.repeat(deep)}1${'}'.repeat(deep)}`;
    const marked = `{"anchor":${anchor},"blocks":[{"type":"paragraph","content":[{"type":"text","text":"x","marks":[{"type":"link","attrs":{"href":"https://a.example","x":${deepAttrs}}}]}]}]}`;
    const nested = `{"anchor":${anchor},"blocks":[${'{"type":"blockquote","content":['.repeat(deep)}{"type":"paragraph"}${']}'.repeat(deep)}]}`;
    const attrsDeep = `{"anchor":${anchor},"blocks":[{"type":"heading","attrs":{"level":${deepAttrs}}}]}`;
    for (const [what, body] of [
      ['mark attributes 10,000 deep', marked],
      ['blocks 10,000 deep', nested],
      ['node attributes 10,000 deep', attrsDeep],
    ]) {
      const answer = await api<{ error?: string; code?: string }>(s.server, 'POST', s.path('/suggestions'), body, s.tokens.legal);
      expect(answer.status, what).toBe(400);
      expect(answer.body.error, what).toEqual(expect.any(String));
    }
    // Blocks nested deeper than the text may hold (the update gate's limit), though each level is valid.
    const tooDeep = (levels: number): ProseMirrorJSON =>
      levels === 0 ? { type: 'paragraph', content: [{ type: 'text', text: 'deep' }] } : { type: 'blockquote', content: [tooDeep(levels - 1)] };
    await refused(s, { anchor: s.anchor(between), blocks: [tooDeep(60)] }, 'blockquotes 60 deep');
    expect(await s.list()).toEqual([]);
  });

  it('valid blocks (paragraph, heading, objective) are stored as checked, accepted into the text, listed and exported', async () => {
    const s = await withObjective();
    const blocks = [
      { type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Costs' }] },
      {
        type: 'paragraph',
        content: [
          { type: 'text', text: 'See ' },
          { type: 'text', text: 'the site', marks: [{ type: 'link', attrs: { href: 'https://example.org/' } }] },
        ],
      },
      objective(
        'fresh1',
        { title: 'Fair prices', intent: 'Prices stay fair' },
        {
          scope: s.f.ngoId,
          quickWin: true,
          targetDate: '2027-06-30',
          owners: 'Amina',
          indicators: 'price index',
        },
      ),
    ];
    const made = await s.suggest(s.tokens.legal, { anchor: s.anchor(between), blocks });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    // Stored as the schema reads it: defaults filled in, nothing raw.
    const stored = made.body.suggestion.blocks!;
    expect(stored[0]).toEqual({ type: 'heading', attrs: { level: 2 }, content: [{ type: 'text', text: 'Costs' }] });
    expect(stored[2].attrs).toEqual({ id: 'fresh1', scope: s.f.ngoId, quickWin: true, targetDate: '2027-06-30', owners: '', indicators: '' });
    expect(stored[2].content?.slice(4)).toEqual([
      { type: 'objectiveOwners', content: [{ type: 'text', text: 'Amina' }] },
      { type: 'objectiveIndicators', content: [{ type: 'text', text: 'price index' }] },
    ]);
    expect((await s.list())[0].blocks).toEqual(stored);

    const accepted = await api<{ suggestion: Suggestion }>(s.server, 'POST', s.path(`/suggestions/${made.body.suggestion.id}/accept`), undefined, s.tokens.ngo);
    expect(accepted.status).toBe(200);
    const listed = await api<{ objectives: { id: string; scope: string; quickWin: boolean; targetDate: string }[] }>(
      s.server,
      'GET',
      s.path('/objectives'),
      undefined,
      s.tokens.observer,
    );
    expect(listed.body.objectives.map((o) => [o.id, o.scope, o.quickWin, o.targetDate])).toEqual([
      ['fresh1', s.f.ngoId, true, '2027-06-30'],
      ['obj1', 'shared', false, ''],
    ]);
    const exported = async (format: string) =>
      (await fetch(`${s.server.http}${s.path(`/snapshots/live/export?format=${format}`)}`, { headers: { authorization: `Bearer ${s.tokens.legal}` } })).text();
    expect(await exported('md')).toMatch(/^## Costs$/m);
    expect(await exported('md')).toContain('**Owners:** Amina');
    const html = await exported('html');
    expect(html).toContain('<h2>Costs</h2>');
    expect(html).not.toContain('NaN');
  });

  it('an objective replaced by a changed copy keeps its id; an id taken by the time of accepting makes the suggestion outdated', async () => {
    const s = await withObjective();
    // The objective: its own two tokens, the title field with its text, five empty fields (three of text, owners, indicators).
    const objectiveEnd = between + 2 + ('Clean river'.length + 2) + 5 * 2;
    const changed = await s.suggest(s.tokens.legal, { anchor: s.anchor(between, objectiveEnd), blocks: [objective('obj1', { title: 'Clean rivers' })] });
    expect(changed.status, JSON.stringify(changed.body)).toBe(201);

    // Two suggestions that each bring a new objective with one id: the second cannot be accepted once the first is.
    const first = await s.suggest(s.tokens.legal, { anchor: s.anchor(between), blocks: [goal({})] });
    const second = await s.suggest(s.tokens.business, { anchor: s.anchor(between), blocks: [goal({})] });
    expect([first.status, second.status]).toEqual([201, 201]);
    const accept = (id: string) => api<{ code?: string }>(s.server, 'POST', s.path(`/suggestions/${id}/accept`), undefined, s.tokens.ngo);
    expect((await accept(first.body.suggestion.id)).status).toBe(200);
    const again = await accept(second.body.suggestion.id);
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('suggestion_outdated');
    const listed = await api<{ objectives: { id: string }[] }>(s.server, 'GET', s.path('/objectives'), undefined, s.tokens.observer);
    expect(listed.body.objectives.map((o) => o.id)).toEqual(['fresh1', 'obj1']);
  });

  it('a suggestion stored before blocks were checked is checked on accepting: outdated (409), the text unchanged', async () => {
    const s = await withObjective();
    const made = await s.suggest(s.tokens.legal, { anchor: s.anchor(between), blocks: [{ type: 'paragraph', content: [{ type: 'text', text: 'Fine' }] }] });
    expect(made.status).toBe(201);
    // As the server stored it before the check: the blocks as sent, in the earlier shape (one plain value).
    const raw: Suggestion = { ...made.body.suggestion, blocks: [heading({ level: '<x>' })] };
    await writeRecords(s.server.app.ctx.rooms, s.f.agreement.id, (doc) => doc.getMap(RecordsKey.suggestions).set(raw.id, raw));
    const accepted = await api<{ code?: string }>(s.server, 'POST', s.path(`/suggestions/${raw.id}/accept`), undefined, s.tokens.ngo);
    expect(accepted.status).toBe(409);
    expect(accepted.body.code).toBe('suggestion_outdated');
    const text = await s.server.app.ctx.rooms.with(contentRoom(s.f.agreement.id), (room) => room.doc.getXmlFragment('content').toString());
    expect(text).not.toContain('<x>');
  });
});
