import { expect, it } from 'vitest';
import { contentRoom } from '#shared/rooms';
import type { ConsentRound, Minutes } from '#shared/sessions';
import { synced } from '../support/clients';
import { objective, writeDocument } from '../support/document';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { sessionCast } from './support';

const h = useHarness();

// The minutes named the round's objective by its title only, and the snapshot they point to holds the text
// at the end: an objective reworded after its round read as if the parties had agreed to the new words.
it('the minutes give the objective’s words as they read when its round opened, whatever the text says by the end', async () => {
  const server = await h.start();
  const c = await sessionCast(h, server);
  const session = await c.startSession();
  const s = `/sessions/${session.id}`;
  const round = (await c.call<ConsentRound>(c.broker, 'POST', `${s}/rounds`, {})).body;
  await c.call(c.ngo, 'POST', `${s}/rounds/${round.id}/answers`, { answer: 'agree' });
  await c.call(c.business, 'POST', `${s}/rounds/${round.id}/answers`, { answer: 'agree' });
  expect((await c.call(c.broker, 'POST', `${s}/rounds/${round.id}/close`)).status).toBe(200);

  // After the round, the band is widened.
  const editor = h.connect(server, contentRoom(c.id), c.ngo);
  await synced(editor);
  writeDocument(editor.doc, {
    type: 'doc',
    content: [objective('obj1', { title: 'Safe water for households', intent: 'Every household has safe water', band: '100 to 2000', trigger: 'Drought' })],
  });
  await waitFor(async () => (await c.call<{ objectives: { band: string }[] }>(c.legal, 'GET', '/objectives')).body.objectives?.[0]?.band === '100 to 2000', {
    what: 'the edit reaches the server',
  });

  const minutes = (await c.call<Minutes>(c.broker, 'POST', `${s}/end`)).body;
  const md = await (
    await fetch(`${server.http}/api/agreements/${c.id}${s}/minutes/export?format=md`, { headers: { authorization: `Bearer ${c.legal}` } })
  ).text();
  const body = md.slice(0, md.indexOf('<!-- common-ground-fingerprint'));
  expect(body).toContain(
    'As it read when the round opened: Intent (fixed): Every household has safe water · Targets and agreed band (flexible): 500 to 800 · Revisit when: Drought',
  );
  expect(body).not.toContain('100 to 2000');
  // The round keeps them, so the app's own view of the minutes says the same.
  expect(minutes.items[0].rounds[0].wording).toEqual({ intent: 'Every household has safe water', band: '500 to 800', trigger: 'Drought' });
});

type Listed = { title: string; band: string };

/**
 * A running session in which the broker opens a round on each step's objective in turn, Nia agrees, the text is
 * rewritten to the step's `after` (once `reached` sees it on the server), and the broker closes the round.
 */
async function roundsEditedMidway(steps: { objectiveId: string; after: ReturnType<typeof objective>[]; reached: (objectives: Listed[]) => boolean }[]) {
  const server = await h.start();
  const c = await sessionCast(h, server);
  const session = await c.startSession();
  const s = `/sessions/${session.id}`;
  const editor = h.connect(server, contentRoom(c.id), c.ngo);
  await synced(editor);
  const closed: ConsentRound[] = [];
  for (const { objectiveId, after, reached } of steps) {
    const round = (await c.call<ConsentRound>(c.broker, 'POST', `${s}/rounds`, { objectiveId })).body;
    expect((await c.call(c.ngo, 'POST', `${s}/rounds/${round.id}/answers`, { answer: 'agree' })).status).toBe(200);
    writeDocument(editor.doc, { type: 'doc', content: after });
    await waitFor(async () => reached((await c.call<{ objectives: Listed[] }>(c.legal, 'GET', '/objectives')).body.objectives ?? []), {
      what: 'the edit reaches the server',
    });
    closed.push((await c.call<ConsentRound>(c.broker, 'POST', `${s}/rounds/${round.id}/close`)).body);
  }
  return { server, c, s, closed };
}

const jobs = (title: string) => objective('obj2', { title, intent: 'Local jobs', band: '20 to 40', trigger: 'Recession' });
const widenedWater = () => objective('obj1', { title: 'Safe water for households', intent: 'Every household has safe water', band: '100 to 2000' });
const titles = (objectives: Listed[]) => objectives.map((o) => o.title).join();

// Nia agreed in a round; the objective was then cut from the text before the broker closed the round. The activity
// log and the minutes' "Stances changed" read "WaterAid Kenya: Agree on “untitled objective”".
it('a round closed after its objective was removed or retitled logs its stances under the title the round was on', async () => {
  const { c, s } = await roundsEditedMidway([
    // Safe water is cut from the text, Jobs stays, during the first round; Jobs is retitled during the second.
    { objectiveId: 'obj1', after: [jobs('Jobs in the basin')], reached: (o) => titles(o) === 'Jobs in the basin' },
    { objectiveId: 'obj2', after: [jobs('Decent work')], reached: (o) => titles(o) === 'Decent work' },
  ]);
  const minutes = (await c.call<Minutes>(c.broker, 'POST', `${s}/end`)).body;
  expect(minutes.items[0].stancesChanged.map((x) => x.text)).toEqual([
    'WaterAid Kenya: Agree on “Safe water for households”',
    'Acme Beverages: Not yet on “Safe water for households”',
    'WaterAid Kenya: Agree on “Jobs in the basin”',
    'Acme Beverages: Not yet on “Jobs in the basin”',
  ]);
});

// The objective was edited mid-round, so the app held Ben's answer back: the minutes read "Acme Beverages: No answer"
// as if the business had stayed silent, with nothing to say the text had changed under the round.
it('the minutes of a round whose objective was edited or removed before it closed say so, next to the answers it holds', async () => {
  const {
    server,
    c,
    s,
    closed: rounds,
  } = await roundsEditedMidway([
    // Safe water's band is widened during the first round; Jobs is cut from the text during the second.
    { objectiveId: 'obj1', after: [widenedWater(), jobs('Jobs in the basin')], reached: (o) => o[0]?.band === '100 to 2000' },
    { objectiveId: 'obj2', after: [widenedWater()], reached: (o) => titles(o) === 'Safe water for households' },
  ]);
  expect(rounds.map((r) => r.textAtClose)).toEqual(['edited', 'removed']);
  await c.call(c.broker, 'POST', `${s}/end`);
  const md = await (
    await fetch(`${server.http}/api/agreements/${c.id}${s}/minutes/export?format=md`, { headers: { authorization: `Bearer ${c.legal}` } })
  ).text();
  expect(md).toContain('The objective was edited during the round: answers were held from then on.');
  expect(md).toContain('The objective was removed from the text during the round: answers were held from then on.');
});
