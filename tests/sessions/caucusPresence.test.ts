import { expect, it } from 'vitest';
import type { LiveSession } from '#shared/sessions';
import { synced, type TestClient } from '../support/clients';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { inCaucusBreak, present, sessionCast } from './support';

const h = useHarness();

type State = { user?: { name?: string; inCaucus?: boolean }; cursor?: { at?: string } };

/** Every state `viewer` has held for `clientId`, in order: what its person could have read from its browser. */
function recordStatesOf(viewer: TestClient, clientId: number): State[] {
  const seen: State[] = [];
  viewer.provider.awareness.on('change', () => {
    const state = viewer.provider.awareness.getStates().get(clientId) as State | undefined;
    if (state) seen.push(state);
  });
  return seen;
}

/** Whether `viewer` holds `owner`'s presence as of its latest move (the same awareness clock). */
function caughtUp(viewer: TestClient, owner: TestClient): boolean {
  const id = owner.provider.awareness.clientID;
  return viewer.provider.awareness.meta.get(id)?.clock === owner.provider.awareness.meta.get(id)?.clock;
}

function cursorOf(viewer: TestClient, owner: TestClient): string | undefined {
  return (viewer.provider.awareness.getStates().get(owner.provider.awareness.clientID) as State | undefined)?.cursor?.at;
}

it('during a caucus break a negotiator’s caret reaches only their own party; the others see them without it, and again once the break ends', async () => {
  const server = await h.start();
  const cast = await sessionCast(h, server);
  const session = await cast.startSession();
  const ngoSecond = await cast.fx.invite({ role: 'negotiator', name: 'Nadia', party: cast.fx.ngoId });
  const nia = present(h, server, cast.id, cast.ngo);
  const nadia = present(h, server, cast.id, ngoSecond);
  const ben = present(h, server, cast.id, cast.business);
  const broker = present(h, server, cast.id, cast.broker);
  await Promise.all([nia, nadia, ben, broker].map((c) => synced(c)));

  nia.provider.awareness.setLocalStateField('cursor', { at: 'before the break' });
  for (const viewer of [nadia, ben, broker]) await waitFor(() => cursorOf(viewer, nia) === 'before the break', { what: 'the caret before the break' });

  const benSaw = recordStatesOf(ben, nia.provider.awareness.clientID);
  const brokerSaw = recordStatesOf(broker, nia.provider.awareness.clientID);
  const called = await cast.call<LiveSession>(cast.broker, 'POST', `/sessions/${session.id}/caucus`, { minutes: 15 });
  expect(called.status).toBe(200);

  // Nia's caret moves to the clause her party debates in caucus.
  await waitFor(() => cursorOf(ben, nia) === undefined, { what: 'the caret before the break to go from the other party' });
  nia.provider.awareness.setLocalStateField('cursor', { at: 'clause 7.2' });
  await waitFor(() => cursorOf(nadia, nia) === 'clause 7.2', { what: 'her own party to see her caret' });
  for (const viewer of [ben, broker]) await waitFor(() => caughtUp(viewer, nia), { what: 'the others to hear of her latest presence' });
  expect(benSaw.map((s) => s.cursor?.at).filter((at) => at === 'clause 7.2')).toEqual([]);
  expect(brokerSaw.map((s) => s.cursor?.at).filter((at) => at === 'clause 7.2')).toEqual([]);
  // She stays in the others' people list, marked as in caucus.
  const benHolds = ben.provider.awareness.getStates().get(nia.provider.awareness.clientID) as State | undefined;
  expect(benHolds?.user).toMatchObject({ name: 'Nia', inCaucus: true });
  // Every party caucuses: Ben's caret stays with his own side too; the broker's, neutral, reaches everyone.
  const niaSaw = recordStatesOf(nia, ben.provider.awareness.clientID);
  ben.provider.awareness.setLocalStateField('cursor', { at: 'business clause' });
  broker.provider.awareness.setLocalStateField('cursor', { at: 'agenda item 2' });
  await waitFor(() => cursorOf(nia, broker) === 'agenda item 2' && caughtUp(nia, ben), { what: 'the broker’s caret and Ben’s latest presence at Nia' });
  expect(niaSaw.map((s) => s.cursor?.at).filter((at) => at === 'business clause')).toEqual([]);

  // The broker ends the break: the caret flows again without anyone moving.
  const ended = await cast.call<LiveSession>(cast.broker, 'POST', `/sessions/${session.id}/caucus`, { minutes: 0 });
  expect(ended.status).toBe(200);
  for (const viewer of [ben, broker]) await waitFor(() => cursorOf(viewer, nia) === 'clause 7.2', { what: 'the caret after the break' });
});

it('someone of the other party who opens the text during a caucus break gets no caret of a caucusing negotiator', async () => {
  const server = await h.start();
  const cast = await sessionCast(h, server);
  const session = await cast.startSession();
  const nia = present(h, server, cast.id, cast.ngo);
  await synced(nia);
  nia.provider.awareness.setLocalStateField('cursor', { at: 'clause 7.2' });
  await waitFor(() => caughtUp(nia, nia) && cursorOf(nia, nia) === 'clause 7.2', { what: 'her caret at her own client' });
  expect((await cast.call(cast.broker, 'POST', `/sessions/${session.id}/caucus`, { minutes: 15 })).status).toBe(200);

  const ben = present(h, server, cast.id, cast.business);
  await synced(ben);
  await waitFor(() => caughtUp(ben, nia), { what: 'Ben to hear of Nia as she is now' });
  expect(cursorOf(ben, nia)).toBeUndefined();
  expect((ben.provider.awareness.getStates().get(nia.provider.awareness.clientID) as State | undefined)?.user).toMatchObject({ name: 'Nia', inCaucus: true });
});

/** The broker changes the person named `name` to `change` (PATCH …/people/:id) and checks it was taken. */
async function changePerson(cast: Awaited<ReturnType<typeof sessionCast>>, name: string, change: { role: string; party?: string }): Promise<void> {
  const people = await cast.call<{ people: { id: string; name: string }[] }>(cast.broker, 'GET', '/people');
  const id = people.body.people.find((p) => p.name === name)!.id;
  expect((await cast.call(cast.broker, 'PATCH', `/people/${id}`, change)).status).toBe(200);
}

it('a negotiator moved to another party during a caucus break is screened as the new party at once: she sees its carets and none of the old one’s, and her caret changes sides', async () => {
  const server = await h.start();
  const cast = await sessionCast(h, server);
  const session = await cast.startSession();
  const ngoSecond = await cast.fx.invite({ role: 'negotiator', name: 'Nadia', party: cast.fx.ngoId });
  const nia = present(h, server, cast.id, cast.ngo);
  const nadia = present(h, server, cast.id, ngoSecond);
  const ben = present(h, server, cast.id, cast.business);
  await Promise.all([nia, nadia, ben].map((c) => synced(c)));
  expect((await cast.call(cast.broker, 'POST', `/sessions/${session.id}/caucus`, { minutes: 15 })).status).toBe(200);
  nia.provider.awareness.setLocalStateField('cursor', { at: 'ngo clause' });
  nadia.provider.awareness.setLocalStateField('cursor', { at: 'ngo debate' });
  ben.provider.awareness.setLocalStateField('cursor', { at: 'business clause' });
  await waitFor(() => cursorOf(nia, nadia) === 'ngo debate' && cursorOf(nadia, nia) === 'ngo clause' && caughtUp(nia, ben) && caughtUp(ben, nia), {
    what: 'each party to see its own carets in the break',
  });
  expect(cursorOf(nia, ben)).toBeUndefined();

  // The broker corrects Nia's party mid-break: she speaks for the business now.
  await changePerson(cast, 'Nia', { role: 'negotiator', party: cast.fx.businessId });
  const niaSawOfNadia = recordStatesOf(nia, nadia.provider.awareness.clientID);
  nadia.provider.awareness.setLocalStateField('cursor', { at: 'ngo fallback position' });
  nia.provider.awareness.setLocalStateField('cursor', { at: 'clause 7.2' });
  // Her caret goes to her new side only; what her old side writes from now on never reaches her.
  await waitFor(() => cursorOf(ben, nia) === 'clause 7.2', { what: 'her new party to see her caret' });
  await waitFor(() => caughtUp(nia, nadia) && caughtUp(nadia, nia), { what: 'Nia and Nadia to hear of each other’s latest presence' });
  expect(niaSawOfNadia.map((s) => s.cursor?.at).filter((at) => at !== undefined)).toEqual([]);
  expect(cursorOf(nadia, nia)).toBeUndefined();
  expect((nadia.provider.awareness.getStates().get(nia.provider.awareness.clientID) as State | undefined)?.user).toMatchObject({ name: 'Nia', inCaucus: true });
  // Ben has not moved since: she sees his caret all the same, as it is now.
  await waitFor(() => cursorOf(nia, ben) === 'business clause', { what: 'Nia to see her new party’s caret' });
});

it('a negotiator made an observer during a caucus break belongs to no party: her caret shows to everyone and she sees no negotiator’s', async () => {
  const { cast, nia, ben } = await inCaucusBreak(h);
  ben.provider.awareness.setLocalStateField('cursor', { at: 'business clause' });
  await waitFor(() => caughtUp(nia, ben), { what: 'Nia to hear of Ben in the break' });

  await changePerson(cast, 'Nia', { role: 'observer' });
  nia.provider.awareness.setLocalStateField('cursor', { at: 'reading clause 3' });
  await waitFor(() => cursorOf(ben, nia) === 'reading clause 3', { what: 'Ben to see the observer’s caret' });
  ben.provider.awareness.setLocalStateField('cursor', { at: 'business fallback' });
  await waitFor(() => caughtUp(nia, ben) && nia.provider.awareness.getStates().has(ben.provider.awareness.clientID), { what: 'Nia to hear of Ben again' });
  expect(cursorOf(nia, ben)).toBeUndefined();
  expect((nia.provider.awareness.getStates().get(ben.provider.awareness.clientID) as State | undefined)?.user).toMatchObject({ name: 'Ben', inCaucus: true });
});

it('a negotiator revoked during a caucus break is gone from everyone’s presence', async () => {
  const { cast, nia, ben } = await inCaucusBreak(h);
  await waitFor(() => ben.provider.awareness.getStates().has(nia.provider.awareness.clientID), { what: 'Ben to see Nia present' });

  const people = await cast.call<{ people: { id: string; name: string }[] }>(cast.broker, 'GET', '/people');
  const id = people.body.people.find((p) => p.name === 'Nia')!.id;
  expect((await cast.call(cast.broker, 'DELETE', `/people/${id}`)).status).toBeLessThan(300);
  await waitFor(() => !ben.provider.awareness.getStates().has(nia.provider.awareness.clientID), { what: 'Nia gone from Ben’s presence' });
  await waitFor(() => nia.closes.some((c) => c.code === 4410), { what: 'Nia’s connection closed for good' });
});
