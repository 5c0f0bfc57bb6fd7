import { expect, it } from 'vitest';
import { contentRoom, recordsRoom } from '#shared/rooms';
import { RecordsKey } from '#shared/records';
import type { QuickWinDelivery } from '#shared/quickWinDelivery';
import { synced } from '../support/clients';
import { objective, writeDocument } from '../support/document';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { sessionCast } from '../sessions/support';
import { DEFAULT_HTTP_RATE_LIMITS } from '../../server/src/http/security';

const h = useHarness();

interface Listed {
  id: string;
  quickWin: boolean;
  delivered?: { by: { name: string }; at: string };
}

// A quick win delivered last month still read "Overdue" on every page, against the party that delivered it.
it('the broker and the negotiators of a quick win’s parties mark it delivered; every page reads it; nobody else can', async () => {
  const server = await h.start();
  const c = await sessionCast(h, server);
  const writer = h.connect(server, contentRoom(c.id), c.ngo);
  await synced(writer);
  const text = (wells: Record<string, unknown>, withWells = true) =>
    writeDocument(writer.doc, {
      type: 'doc',
      content: [
        ...(withWells ? [objective('wells', { title: 'First wells', intent: 'x' }, wells)] : []),
        objective('meetings', { title: 'Village meetings', intent: 'x' }, { quickWin: true, targetDate: '2026-01-15', scope: c.fx.ngoId }),
        objective('jobs', { title: 'Jobs in the basin', intent: 'x' }),
      ],
    });
  const listed = async () => (await c.call<{ objectives: Listed[] }>(c.legal, 'GET', '/objectives')).body.objectives;
  const listedAs = (what: string, check: (objectives: Listed[]) => boolean) => waitFor(async () => check(await listed()), { what });
  text({ quickWin: true, targetDate: '2026-01-15' });
  await listedAs('the three objectives on the server', (all) => all.map((o) => o.id).join() === 'wells,meetings,jobs');

  const reader = h.connect(server, recordsRoom(c.id), c.observer);
  await synced(reader);
  const seen = (id: string) => reader.doc.getMap<QuickWinDelivery>(RecordsKey.quickWinDeliveries).get(id);
  const mark = (token: string, objectiveId: string, delivered: unknown) =>
    c.call<{ objectiveId: string; delivered?: { by: { name: string }; at: string }; error?: string; code?: string }>(
      token,
      'PUT',
      `/objectives/${objectiveId}/delivered`,
      { delivered },
    );

  // A shared quick win: neither a legal reviewer nor an observer; a party's own: not the other party either.
  for (const [token, id] of [
    [c.legal, 'wells'],
    [c.observer, 'wells'],
    [c.business, 'meetings'],
    [c.legal, 'meetings'],
  ]) {
    const refused = await mark(token, id, true);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatch(/broker or the negotiators of the objective’s parties/);
  }
  // No such objective: 404; not a quick win: 409 saying so; a body that is not a yes or no: 400.
  expect((await mark(c.broker, 'nosuchobjective', true)).status).toBe(404);
  const notAWin = await mark(c.ngo, 'jobs', true);
  expect(notAWin.status).toBe(409);
  expect(notAWin.body).toMatchObject({ code: 'not_a_quick_win', error: expect.stringMatching(/not a quick win/) });
  expect((await mark(c.broker, 'wells', 'yes')).status).toBe(400);
  expect((await c.call(c.broker, 'PUT', '/objectives/wells/delivered', {})).status).toBe(400);
  expect(reader.doc.getMap(RecordsKey.quickWinDeliveries).size).toBe(0);

  // The other party's negotiator answers for a shared quick win too; an observer's stock client reads it with who and when.
  const delivered = await mark(c.business, 'wells', true);
  expect(delivered.status).toBe(200);
  expect(delivered.body).toMatchObject({ objectiveId: 'wells', delivered: { by: { name: 'Ben', role: 'negotiator' } } });
  await waitFor(() => seen('wells')?.by.name === 'Ben', { what: 'the observer’s copy reads the quick win delivered' });
  expect(seen('wells')).toEqual({ objectiveId: 'wells', ...delivered.body.delivered });
  // Pressed again (a second tab, the broker meanwhile): the first mark stands.
  expect((await mark(c.broker, 'wells', true)).body.delivered).toEqual(delivered.body.delivered);
  // A party's own quick win, by its negotiator; the broker takes it back.
  expect((await mark(c.ngo, 'meetings', true)).status).toBe(200);
  const reopened = await mark(c.broker, 'meetings', false);
  expect(reopened.status).toBe(200);
  expect(reopened.body).toEqual({ objectiveId: 'meetings' });
  await waitFor(() => seen('meetings') === undefined && seen('wells') !== undefined, { what: 'the village meetings not delivered again' });
  expect((await listed()).map((o) => [o.id, o.delivered?.by.name])).toEqual([
    ['wells', 'Ben'],
    ['meetings', undefined],
    ['jobs', undefined],
  ]);

  // No longer a quick win: its record stays in the records, shown nowhere, and it is not marked; a quick win again: delivered again.
  text({ quickWin: false, targetDate: '2026-01-15' });
  await listedAs('the wells no longer a quick win', (all) => all[0].quickWin === false);
  expect((await listed())[0].delivered).toBeUndefined();
  expect((await mark(c.ngo, 'wells', false)).status).toBe(409);
  expect(seen('wells')?.by.name).toBe('Ben');
  text({ quickWin: true, targetDate: '2026-01-15' });
  await listedAs('the wells delivered again', (all) => all[0].delivered?.by.name === 'Ben');
  // Deleted: 404, its record kept; brought back (an undo), it reads delivered again.
  text({}, false);
  await listedAs('the wells deleted', (all) => all.length === 2);
  expect((await mark(c.broker, 'wells', false)).status).toBe(404);
  text({ quickWin: true, targetDate: '2026-01-15' });
  await listedAs('the wells back, delivered', (all) => all[0].id === 'wells' && all[0].delivered?.by.name === 'Ben');

  // The activity log says who did what, once each.
  const activity = await c.call<{ entries: { kind: string; text: string; by: { name: string } }[] }>(c.broker, 'GET', '/activity');
  const marks = (activity.body.entries ?? []).filter((e) => e.kind.startsWith('quickWin.')).map((e) => `${e.by.name}: ${e.text}`);
  expect(marks).toEqual([
    'Ben: Quick win delivered: “First wells”',
    'Nia: Quick win delivered: “Village meetings”',
    'Brook Broker: Quick win no longer marked delivered: “Village meetings”',
  ]);
});

it('marking quick wins delivered counts with the person’s comments: past the limit, 429', async () => {
  const server = await h.start({ httpRateLimits: { ...DEFAULT_HTTP_RATE_LIMITS, commentsPerMinute: 3 } });
  const c = await sessionCast(h, server);
  const statuses = [
    (await c.call(c.ngo, 'POST', '/threads', { body: 'Are the wells dug?', caucus: true })).status,
    // The cast's objectives are no quick wins: refused, and counted all the same.
    (await c.call(c.ngo, 'PUT', '/objectives/obj1/delivered', { delivered: true })).status,
    (await c.call(c.ngo, 'PUT', '/objectives/obj1/delivered', { delivered: true })).status,
    (await c.call(c.ngo, 'PUT', '/objectives/obj1/delivered', { delivered: true })).status,
  ];
  expect(statuses).toEqual([201, 409, 409, 429]);
});
