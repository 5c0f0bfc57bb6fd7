import { expect, it } from 'vitest';
import type { Minutes } from '#shared/sessions';
import { useHarness } from '../support/harness';
import { sessionCast } from './support';

const h = useHarness();

it('an action due on a day the calendar lacks is refused with a 400 that says so, and nothing is stored', async () => {
  const server = await h.start();
  const c = await sessionCast(h, server);
  const session = await c.startSession();
  const s = `/sessions/${session.id}`;
  for (const due of ['2027-02-30', '2027-02-29', '2027-04-31', '2027-00-10', '2027-06-00']) {
    const res = await c.call<{ error: string }>(c.broker, 'POST', `${s}/actions`, { what: `Report ${due}`, owner: { kind: 'party', id: c.fx.ngoId }, due });
    expect(res.status, due).toBe(400);
    expect(res.body.error, due).toMatch(/"due" is not a date/);
  }
  // A leap day is a day.
  expect((await c.call(c.broker, 'POST', `${s}/actions`, { what: 'Leap', owner: { kind: 'party', id: c.fx.ngoId }, due: '2028-02-29' })).status).toBe(201);
  expect((await c.call(c.broker, 'POST', `${s}/end`)).status).toBe(200);
  const minutes = await c.call<Minutes>(c.broker, 'GET', `${s}/minutes`);
  expect(minutes.body.items.flatMap((i) => i.actions.map((a) => a.due))).toEqual(['2028-02-29']);
});
