import { expect, it } from 'vitest';
import { contentRoom } from '#shared/rooms';
import type { BulkDecisionResult, Suggestion } from '#shared/suggestions';
import { objective, paragraph, readDocument, writeDocument } from '../support/document';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { api } from '../support/server';
import { CLAUSE, stage, type Stage } from './setup';

const harness = useHarness();

/** Where the objective's title text starts: after the clause's paragraph, the objective's and its title's openings. */
const TITLE = CLAUSE.length + 2 + 2;
const GOAL = '10 schools';

/** The stage with the NGO's own objective after the clause, written by the NGO's negotiator. */
async function withNgoObjective(): Promise<Stage> {
  const s = await stage(harness);
  writeDocument(s.ngo.doc, { type: 'doc', content: [paragraph(CLAUSE), objective('obj1', { title: GOAL }, { scope: s.f.ngoId })] });
  await waitFor(() => s.server.app.ctx.rooms.with(contentRoom(s.f.agreement.id), (room) => room.doc.getXmlFragment('content').toString().includes(GOAL)), {
    what: 'the objective on the server',
  });
  return s;
}

const titleOf = (s: Stage) => {
  const goal = readDocument(s.ngo.doc).content?.find((node) => node.type === 'objective' && node.attrs?.id === 'obj1');
  return (goal?.content?.[0]?.content ?? []).map((t) => t.text ?? '').join('');
};

// The text's guard keeps a party's own objective to that party's negotiators and the broker; the
// server writes an accepted suggestion itself, past that guard, so accepting must keep the rule:
// a Business negotiator suggesting "1 school" on the NGO's objective and accepting it himself spoke
// for the NGO.
it('a suggestion on a party’s own objective is accepted only by that party’s negotiators or the broker', async () => {
  const s = await withNgoObjective();
  const accept = (id: string, token: string) =>
    api<{ suggestion: Suggestion; code?: string; error?: string }>(s.server, 'POST', s.path(`/suggestions/${id}/accept`), {}, token);

  const made = await s.suggest(s.tokens.business, { anchor: s.anchor(TITLE, TITLE + GOAL.length), text: '1 school' });
  expect(made.status).toBe(201);
  const refused = await accept(made.body.suggestion.id, s.tokens.business);
  expect(refused.status).toBe(403);
  expect(refused.body.code).toBe('forbidden');
  expect(refused.body.error).toMatch(/own objective/);
  expect((await s.list()).find((x) => x.id === made.body.suggestion.id)?.status).toBe('open');
  expect(titleOf(s)).toBe(GOAL);

  // The NGO's negotiator accepts it.
  expect((await accept(made.body.suggestion.id, s.tokens.ngo)).status).toBe(200);
  await waitFor(() => titleOf(s) === '1 school', { what: 'the accepted title' });

  // A new objective in the NGO's name, suggested and accepted by the Business: refused; the broker may.
  const between = CLAUSE.length + 2;
  const theirs = objective('fresh1', { title: 'Fair prices' }, { scope: s.f.ngoId });
  const given = await s.suggest(s.tokens.business, { anchor: s.anchor(between), blocks: [theirs] });
  expect(given.status).toBe(201);
  expect((await accept(given.body.suggestion.id, s.tokens.business)).status).toBe(403);
  expect((await accept(given.body.suggestion.id, s.f.brokerToken)).status).toBe(200);

  // Accepting all of one's own suggestions leaves those open, and says so.
  const again = await s.suggest(s.tokens.business, { anchor: s.anchor(TITLE, TITLE + 1), text: 'One' });
  const shared = await s.suggest(s.tokens.business, { anchor: s.anchor(1, 4), text: 'All' });
  expect([again.status, shared.status]).toEqual([201, 201]);
  const bulk = await api<BulkDecisionResult>(s.server, 'POST', s.path('/suggestions/accept-all'), { party: s.f.businessId }, s.tokens.business);
  expect(bulk.status).toBe(200);
  expect(bulk.body.decided.map((d) => d.id)).toEqual([shared.body.suggestion.id]);
  expect(bulk.body.refused).toEqual([again.body.suggestion.id]);
  expect(titleOf(s)).toBe('1 school');
});

// Rejecting decides as much as accepting: the Business rejecting a reviewer's new wording of the NGO's
// own objective turned it down for the NGO. The suggester may still withdraw their own.
it('a suggestion on a party’s own objective is rejected only by that party’s negotiators, the broker, or the one who made it', async () => {
  const s = await withNgoObjective();
  const reject = (id: string, token: string) => api<{ code?: string; error?: string }>(s.server, 'POST', s.path(`/suggestions/${id}/reject`), {}, token);
  const fromLegal = await s.suggest(s.tokens.legal, { anchor: s.anchor(TITLE, TITLE + GOAL.length), text: '12 schools' });
  const fromBusiness = await s.suggest(s.tokens.business, { anchor: s.anchor(TITLE, TITLE + 2), text: '1' });
  const onShared = await s.suggest(s.tokens.legal, { anchor: s.anchor(1, 4), text: 'All' });
  expect([fromLegal.status, fromBusiness.status, onShared.status]).toEqual([201, 201, 201]);

  const refused = await reject(fromLegal.body.suggestion.id, s.tokens.business);
  expect(refused.status).toBe(403);
  expect(refused.body.error).toMatch(/own objective/);
  const bulk = await api<BulkDecisionResult>(
    s.server,
    'POST',
    s.path('/suggestions/reject-all'),
    { person: fromLegal.body.suggestion.author.personId },
    s.tokens.business,
  );
  expect(bulk.body.decided.map((d) => d.id)).toEqual([onShared.body.suggestion.id]);
  expect(bulk.body.refused).toEqual([fromLegal.body.suggestion.id]);
  expect((await s.list()).find((x) => x.id === fromLegal.body.suggestion.id)?.status).toBe('open');

  // The Business withdraws its own; the NGO turns down the reviewer's.
  expect((await reject(fromBusiness.body.suggestion.id, s.tokens.business)).status).toBe(200);
  expect((await reject(fromLegal.body.suggestion.id, s.tokens.ngo)).status).toBe(200);
  expect(titleOf(s)).toBe(GOAL);
});
