import { describe, expect, it } from 'vitest';
import type { DiffResult, SnapshotSummary } from '#shared/snapshots';
import type { Suggestion } from '#shared/suggestions';
import * as Y from 'yjs';
import { contentRoom } from '#shared/rooms';
import { SERVER_ORIGIN } from '../../server/src/rooms/origin';
import { readDocument } from '../support/document';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { api } from '../support/server';
import { CLAUSE, at, changes, stage } from './setup';

describe('suggestions', () => {
  const harness = useHarness();

  it('a legal reviewer suggests an insertion, a deletion and a replacement; accepting applies each for everyone and the diff credits the reviewer', async () => {
    const s = await stage(harness);
    const before = await api<SnapshotSummary>(s.server, 'POST', s.path('/snapshots'), { label: 'Before review' }, s.f.brokerToken);
    const insertion = await s.suggest(s.tokens.legal, { anchor: s.anchor(at(' the cost')), text: ' equally' });
    const deletion = await s.suggest(s.tokens.legal, { anchor: s.anchor(at('The '), at('parties')), text: '' });
    const replacement = await s.suggest(s.tokens.legal, { anchor: s.anchor(at('cost'), at('.')), text: 'costs and benefits' });
    for (const r of [insertion, deletion, replacement]) expect(r.status).toBe(201);
    expect(replacement.body.suggestion).toMatchObject({
      kind: 'text',
      deleted: 'cost',
      text: 'costs and benefits',
      status: 'open',
      author: { name: 'Lena Legal', role: 'legal' },
    });
    expect(deletion.body.suggestion.deleted).toBe('The ');
    // Suggesting changes nothing in the text.
    expect(s.paragraphs()).toEqual([CLAUSE]);
    const listed = await s.list();
    expect(listed.map((l) => [l.from, l.to, l.outdated])).toEqual([
      [at('The '), at('parties'), false],
      [at(' the cost'), at(' the cost'), false],
      [at('cost'), at('.'), false],
    ]);

    for (const r of [insertion, deletion, replacement]) {
      const accepted = await api<{ suggestion: Suggestion }>(
        s.server,
        'POST',
        s.path(`/suggestions/${r.body.suggestion.id}/accept`),
        undefined,
        s.tokens.business,
      );
      expect(accepted.status).toBe(200);
      expect(accepted.body.suggestion).toMatchObject({ status: 'accepted', decidedBy: { name: 'Ben Carter' } });
      expect(accepted.body.suggestion.decidedAt).toEqual(expect.any(String));
    }
    await waitFor(() => s.paragraphs()[0] === 'parties share equally the costs and benefits.', { what: 'the accepted text on the negotiator’s client' });

    const diff = await api<DiffResult>(s.server, 'GET', s.path(`/diff?from=${before.body.id}&to=live`), undefined, s.tokens.legal);
    const changed = changes(diff.body.content).filter((c) => c.kind);
    expect(changed.length).toBeGreaterThanOrEqual(3);
    // Every change is the reviewer's, not the negotiator's who accepted it.
    expect(new Set(changed.map((c) => c.name))).toEqual(new Set(['Lena Legal']));
    // Yjs keeps what did not change: " equally" after "share" may be stored as "equally " after "share ".
    expect(
      changed
        .filter((c) => c.kind === 'insertion')
        .map((c) => c.text)
        .join('|'),
    ).toContain('equally');
    expect(
      changed
        .filter((c) => c.kind === 'deletion')
        .map((c) => c.text)
        .join(''),
    ).toContain('The ');
  });

  it('after accepting, a server write made for nobody is not credited to the suggester', async () => {
    const s = await stage(harness);
    const before = await api<SnapshotSummary>(s.server, 'POST', s.path('/snapshots'), { label: 'Before review' }, s.f.brokerToken);
    const { body } = await s.suggest(s.tokens.legal, { anchor: s.anchor(at('.')), text: ' equally' });
    expect((await api(s.server, 'POST', s.path(`/suggestions/${body.suggestion.id}/accept`), undefined, s.tokens.ngo)).status).toBe(200);
    // The server writes text for nobody in particular (as a template or a repair does).
    await s.server.app.ctx.rooms.with(contentRoom(s.f.agreement.id), (room) => {
      const paragraph = room.doc.getXmlFragment('content').get(0) as Y.XmlElement;
      room.doc.transact(() => (paragraph.get(0) as Y.XmlText).insert(0, 'Server note. '), SERVER_ORIGIN);
    });
    await waitFor(() => s.paragraphs()[0]?.startsWith('Server note. '), { what: 'the server’s write on the negotiator’s client' });
    const diff = await api<DiffResult>(s.server, 'GET', s.path(`/diff?from=${before.body.id}&to=live`), undefined, s.tokens.legal);
    const inserted = changes(diff.body.content).filter((c) => c.kind === 'insertion');
    expect(inserted.map((c) => c.text).join('')).toContain('equally');
    const serverText = inserted.filter((c) => c.text.includes('Server note'));
    expect(serverText).toHaveLength(1);
    expect(serverText[0]?.name).not.toBe('Lena Legal');
    expect(inserted.filter((c) => c.text.includes('equally')).map((c) => c.name)).toEqual(['Lena Legal']);
  });

  it('rejecting leaves the text as it was and records who and when; a decided suggestion cannot be decided again', async () => {
    const s = await stage(harness);
    const { body } = await s.suggest(s.tokens.ngo, { anchor: s.anchor(at('share'), at(' the')), text: 'split' });
    const rejected = await api<{ suggestion: Suggestion }>(s.server, 'POST', s.path(`/suggestions/${body.suggestion.id}/reject`), undefined, s.f.brokerToken);
    expect(rejected.status).toBe(200);
    expect(rejected.body.suggestion).toMatchObject({ status: 'rejected', decidedBy: { name: 'Brook Broker', role: 'broker' } });
    const again = await api<{ code: string }>(s.server, 'POST', s.path(`/suggestions/${body.suggestion.id}/accept`), undefined, s.f.brokerToken);
    expect(again).toMatchObject({ status: 409, body: { code: 'suggestion_decided' } });
    expect(s.paragraphs()).toEqual([CLAUSE]);
    expect((await s.list())[0]).toMatchObject({ status: 'rejected', outdated: false });
  });

  it('a suggestion whose text changed since it was made shows as outdated and cannot be accepted', async () => {
    const s = await stage(harness);
    const { body } = await s.suggest(s.tokens.legal, { anchor: s.anchor(at('cost'), at('.')), text: 'expense' });
    // The negotiator edits inside the passage directly.
    const text = (s.ngo.doc.getXmlFragment('content').get(0) as unknown as { get(i: number): import('yjs').XmlText }).get(0);
    text.insert(at('cost') - 1 + 2, 'a');
    await waitFor(async () => (await s.list())[0]?.outdated, { what: 'the suggestion outdated' });
    const accepted = await api<{ code: string; error: string }>(s.server, 'POST', s.path(`/suggestions/${body.suggestion.id}/accept`), undefined, s.tokens.ngo);
    expect(accepted.status).toBe(409);
    expect(accepted.body.code).toBe('suggestion_outdated');
    expect(accepted.body.error).toMatch(/changed since it was made/);
    expect(s.paragraphs()).toEqual(['The parties share the coast.']);
  });

  it('two people accepting at once apply the change once', async () => {
    const s = await stage(harness);
    const { body } = await s.suggest(s.tokens.legal, { anchor: s.anchor(at('.')), text: ', in equal parts' });
    const accept = (token: string) => api(s.server, 'POST', s.path(`/suggestions/${body.suggestion.id}/accept`), undefined, token);
    const results = await Promise.all([accept(s.tokens.ngo), accept(s.tokens.business), accept(s.f.brokerToken)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    await waitFor(() => s.paragraphs()[0] === 'The parties share the cost, in equal parts.', { what: 'the change, once' });
  });

  it('who may suggest, decide and make the agreement suggest-only', async () => {
    const s = await stage(harness);
    const anchor = s.anchor(at('cost'), at('.'));
    expect((await s.suggest(s.tokens.observer, { anchor, text: 'x' })).status).toBe(403);
    const made = await s.suggest(s.f.brokerToken, { anchor, text: 'bill' });
    expect(made.status).toBe(201);
    const id = made.body.suggestion.id;
    for (const token of [s.tokens.legal, s.tokens.observer]) {
      for (const decision of ['accept', 'reject']) {
        expect((await api(s.server, 'POST', s.path(`/suggestions/${id}/${decision}`), undefined, token)).status).toBe(403);
      }
      expect((await api(s.server, 'POST', s.path('/suggestions/accept-all'), { person: 'x' }, token)).status).toBe(403);
    }
    for (const token of [s.tokens.ngo, s.tokens.legal, s.tokens.observer]) {
      expect((await api(s.server, 'PUT', s.path('/suggest-only'), { on: true }, token)).status).toBe(403);
    }
    // Observers read suggestions but do not reply; legal reviewers do.
    expect((await api(s.server, 'POST', s.path(`/suggestions/${id}/comments`), { body: 'why?' }, s.tokens.observer)).status).toBe(403);
    const reply = await api<{ suggestion: Suggestion }>(
      s.server,
      'POST',
      s.path(`/suggestions/${id}/comments`),
      { body: 'Please keep “cost”.' },
      s.tokens.legal,
    );
    expect(reply.status).toBe(201);
    expect(reply.body.suggestion.comments.map((c) => [c.author.name, c.body])).toEqual([['Lena Legal', 'Please keep “cost”.']]);
    expect((await api(s.server, 'GET', s.path('/suggestions'))).status).toBe(401);
    expect((await api(s.server, 'POST', s.path('/suggestions/nope/accept'), undefined, s.tokens.ngo)).status).toBe(404);
  });

  it('refuses changes a suggestion cannot hold, with a JSON 400', async () => {
    const s = await stage(harness);
    const cases: unknown[] = [
      { anchor: s.anchor(at('cost')), text: 'a', blocks: [] },
      { anchor: s.anchor(at('cost')) },
      { anchor: { start: 'AAAA', end: '!!' }, text: 'a' },
      { anchor: s.anchor(at('cost')), text: 'two\nlines' },
      { anchor: s.anchor(at('cost')), text: '' },
      { anchor: s.anchor(at('cost')), text: 42 },
      { anchor: s.anchor(0), blocks: [{ type: 'paragraph', content: [{ type: 'nonsense' }] }] },
      // A block inside a paragraph does not fit there.
      { anchor: s.anchor(at('cost')), blocks: [{ type: 'paragraph' }] },
      // A text change across a block boundary.
      { anchor: s.anchor(0, at('The ')), text: 'x' },
    ];
    for (const body of cases) {
      const answer = await s.suggest(s.tokens.legal, body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error).toEqual(expect.any(String));
    }
  });

  it('whole blocks: inserting a paragraph and deleting one, each credited to the suggester', async () => {
    const s = await stage(harness);
    const end = CLAUSE.length + 2;
    const added = await s.suggest(s.tokens.legal, {
      anchor: s.anchor(end),
      blocks: [{ type: 'paragraph', content: [{ type: 'text', text: 'Either party may leave.' }] }],
    });
    expect(added.status).toBe(201);
    await api(s.server, 'POST', s.path(`/suggestions/${added.body.suggestion.id}/accept`), undefined, s.tokens.ngo);
    await waitFor(() => s.paragraphs().join('|') === `${CLAUSE}|Either party may leave.`, { what: 'the inserted paragraph' });
    const removed = await s.suggest(s.tokens.business, { anchor: s.anchor(0, end), blocks: [] });
    expect(removed.body.suggestion).toMatchObject({ kind: 'blocks', deleted: CLAUSE });
    await api(s.server, 'POST', s.path(`/suggestions/${removed.body.suggestion.id}/accept`), undefined, s.tokens.ngo);
    await waitFor(() => s.paragraphs().join('|') === 'Either party may leave.', { what: 'the deleted paragraph' });
  });

  it('a paragraph split and paragraphs merged, as the editor suggests Enter and a deletion across blocks, each credited to the suggester', async () => {
    const s = await stage(harness);
    const before = await api<SnapshotSummary>(s.server, 'POST', s.path('/snapshots'), { label: 'Before review' }, s.f.brokerToken);
    const end = CLAUSE.length + 2;
    const paragraph = (text: string) => ({ type: 'paragraph', content: [{ type: 'text', text }] });
    const split = await s.suggest(s.tokens.legal, { anchor: s.anchor(0, end), blocks: [paragraph('The parties'), paragraph(' share the cost.')] });
    expect(split.status).toBe(201);
    expect(split.body.suggestion).toMatchObject({ kind: 'blocks', deleted: CLAUSE });
    expect((await api(s.server, 'POST', s.path(`/suggestions/${split.body.suggestion.id}/accept`), undefined, s.tokens.ngo)).status).toBe(200);
    await waitFor(() => s.paragraphs().join('|') === 'The parties| share the cost.', { what: 'the split paragraph' });
    const diff = await api<DiffResult>(s.server, 'GET', s.path(`/diff?from=${before.body.id}&to=live`), undefined, s.tokens.legal);
    const changed = changes(diff.body.content).filter((c) => c.kind);
    expect(changed.length).toBeGreaterThan(0);
    expect(new Set(changed.map((c) => c.name))).toEqual(new Set(['Lena Legal']));

    // Both paragraphs deleted across the break and one written in their place.
    const merged = await s.suggest(s.tokens.business, { anchor: s.anchor(0, end + 2), blocks: [paragraph('The parties share the costs.')] });
    expect(merged.body.suggestion).toMatchObject({ kind: 'blocks', deleted: 'The parties\n share the cost.' });
    expect((await api(s.server, 'POST', s.path(`/suggestions/${merged.body.suggestion.id}/accept`), undefined, s.tokens.ngo)).status).toBe(200);
    await waitFor(() => s.paragraphs().join('|') === 'The parties share the costs.', { what: 'the merged paragraph' });
  });

  it('formatting alone: bold suggested on a passage and accepted, then taken off again; a passage already so is refused', async () => {
    const s = await stage(harness);
    const boldRuns = () => (readDocument(s.ngo.doc).content?.[0]?.content ?? []).filter((t) => t.marks?.some((m) => m.type === 'bold')).map((t) => t.text);
    const made = await s.suggest(s.tokens.legal, { anchor: s.anchor(at('share'), at(' the')), format: { mark: 'bold', on: true } });
    expect(made.status).toBe(201);
    expect(made.body.suggestion).toMatchObject({ kind: 'format', deleted: 'share', format: { mark: 'bold', on: true } });
    expect(boldRuns()).toEqual([]);
    const accepted = await api(s.server, 'POST', s.path(`/suggestions/${made.body.suggestion.id}/accept`), undefined, s.tokens.business);
    expect(accepted.status).toBe(200);
    await waitFor(() => boldRuns().join('|') === 'share', { what: 'the bold passage' });
    expect(s.paragraphs()).toEqual([CLAUSE]);

    const again = await s.suggest(s.tokens.legal, { anchor: s.anchor(at('share'), at(' the')), format: { mark: 'bold', on: true } });
    expect(again).toMatchObject({ status: 400, body: { code: 'suggestion_empty' } });
    const off = await s.suggest(s.tokens.ngo, { anchor: s.anchor(at('share'), at(' the')), format: { mark: 'bold', on: false } });
    expect(off.status).toBe(201);
    await api(s.server, 'POST', s.path(`/suggestions/${off.body.suggestion.id}/accept`), undefined, s.tokens.business);
    await waitFor(() => boldRuns().length === 0, { what: 'the bold taken off' });
    for (const bad of [{ mark: 'link', on: true }, { mark: 'bold' }, { mark: 'bold', on: true, extra: 1 }]) {
      expect((await s.suggest(s.tokens.legal, { anchor: s.anchor(at('share'), at(' the')), format: bad })).status).toBe(400);
    }
    expect((await s.suggest(s.tokens.legal, { anchor: s.anchor(at('share')), format: { mark: 'italic', on: true } })).status).toBe(400);
  });

  it('accepts all of one party’s suggestions, leaving the outdated ones open', async () => {
    const s = await stage(harness);
    await s.suggest(s.tokens.business, { anchor: s.anchor(at('The '), at('parties')), text: 'Both ' });
    await s.suggest(s.tokens.business, { anchor: s.anchor(at('.')), text: ' of the work' });
    await s.suggest(s.tokens.legal, { anchor: s.anchor(at('share'), at(' the')), text: 'split' });
    const all = await api<{ decided: Suggestion[]; outdated: string[] }>(
      s.server,
      'POST',
      s.path('/suggestions/accept-all'),
      { party: s.f.businessId },
      s.f.brokerToken,
    );
    expect(all.status).toBe(200);
    expect(all.body.decided.map((d) => d.author.name)).toEqual(['Ben Carter', 'Ben Carter']);
    await waitFor(() => s.paragraphs()[0] === 'Both parties share the cost of the work.', { what: 'both changes' });
    expect((await s.list()).filter((l) => l.status === 'open').map((l) => l.author.name)).toEqual(['Lena Legal']);
  });
});
