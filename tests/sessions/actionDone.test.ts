import { expect, it } from 'vitest';
import { RecordsKey } from '#shared/records';
import { recordsRoom } from '#shared/rooms';
import type { ActionItem } from '#shared/sessions';
import { synced } from '../support/clients';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { sessionCast } from './support';

const h = useHarness();

// An action past its due date read "Overdue" on everyone's timeline for ever: nobody could say it was done.
it('the broker or an action’s owner marks it done, after its session too; every open page reads it; nobody else can', async () => {
  const server = await h.start();
  const c = await sessionCast(h, server);
  const session = await c.startSession();
  const s = `/sessions/${session.id}`;
  const add = async (what: string, owner: { kind: 'person' | 'party'; id: string }) => {
    const res = await c.call<ActionItem>(c.broker, 'POST', `${s}/actions`, { what, owner, due: '2026-01-15' });
    expect(res.status).toBe(201);
    return res.body;
  };
  const lena = (await c.call<{ me: { personId: string } }>(c.legal, 'GET', '')).body.me.personId;
  const wells = await add('Survey the wells', { kind: 'party', id: c.fx.ngoId });
  const review = await add('Review the annex', { kind: 'person', id: lena });
  expect(wells.done).toBeUndefined();
  // Actions are chased between sessions: this one has ended.
  expect((await c.call(c.broker, 'POST', `${s}/end`)).status).toBe(200);

  const reader = h.connect(server, recordsRoom(c.id), c.observer);
  await synced(reader);
  const seen = (id: string) => reader.doc.getMap<ActionItem>(RecordsKey.actions).get(id);
  const mark = (token: string, action: ActionItem, done: boolean) =>
    c.call<ActionItem & { error?: string }>(token, 'PUT', `${s}/actions/${action.id}/done`, { done });

  // The other party's negotiator, an observer and a legal reviewer who does not own it cannot.
  for (const token of [c.business, c.observer, c.legal]) {
    const refused = await mark(token, wells, true);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatch(/broker or the action’s owner/);
  }
  // A negotiator of the owning party can; the page of someone else reads it done, with who and when.
  const done = await mark(c.ngo, wells, true);
  expect(done.status).toBe(200);
  expect(done.body.done).toMatchObject({ by: { name: 'Nia' } });
  await waitFor(() => seen(wells.id)?.done?.by.name === 'Nia', { what: 'the observer’s copy reads the action done' });
  // Pressed again (a second tab): the first mark stands.
  expect((await mark(c.broker, wells, true)).body.done).toEqual(done.body.done);
  // The person named owns theirs, whatever their role; the broker opens one again.
  expect((await mark(c.legal, review, true)).status).toBe(200);
  const reopened = await mark(c.broker, review, false);
  expect(reopened.status).toBe(200);
  expect(reopened.body).not.toHaveProperty('done');
  await waitFor(() => seen(review.id) !== undefined && seen(review.id)?.done === undefined, { what: 'the review open again' });
  expect(seen(review.id)).toMatchObject({ what: 'Review the annex', due: '2026-01-15', owner: { kind: 'person', id: lena } });

  // Unknown, or named under another session: 404; a body that is not a yes or no: 400.
  expect((await mark(c.broker, { ...wells, id: 'nosuchaction' }, true)).status).toBe(404);
  expect((await c.call(c.broker, 'PUT', `/sessions/othersession/actions/${wells.id}/done`, { done: true })).status).toBe(404);
  expect((await c.call(c.broker, 'PUT', `${s}/actions/${wells.id}/done`, { done: 'yes' })).status).toBe(400);
  expect((await c.call(c.broker, 'PUT', `${s}/actions/${wells.id}/done`, {})).status).toBe(400);

  // The activity log says who did what.
  const activity = await c.call<{ entries: { kind: string; text: string; by: { name: string } }[] }>(c.broker, 'GET', '/activity');
  const marks = (activity.body.entries ?? []).filter((e) => e.kind === 'action.done' || e.kind === 'action.reopened').map((e) => `${e.by.name}: ${e.text}`);
  expect(marks.sort()).toEqual([
    'Brook Broker: Action open again: Review the annex',
    'Lena: Action done: Review the annex',
    'Nia: Action done: Survey the wells',
  ]);
});
