import { expect } from 'vitest';
import type { Locator } from 'playwright-core';
import type { ConsentRound, LiveSession } from '#shared/sessions';
import { objective, paragraph } from '../support/document';
import { api, type TestServer } from '../support/server';
import { cast, waitForConnection, writeBeforeOpening, type Cast, type Person, type Stage } from './browser';

/** A running session on the cast's agreement, whose text is one objective (`o1`, “Restore the banks”), with a consent round open on it. */
export interface OpenRound {
  round: ConsentRound;
  /** The session's path under the agreement (`/sessions/<id>`). */
  session: string;
  /** Calls the API under `/api/agreements/<id>` as `token`. */
  call<T = Record<string, unknown>>(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** The broker closes the round; answers its results. */
  close(): Promise<ConsentRound>;
}

export async function openRoundOnObjective(server: TestServer, c: Cast): Promise<OpenRound> {
  const id = c.fx.agreement.id;
  const call: OpenRound['call'] = (token, method, path, body) => api(server, method, `/api/agreements/${id}${path}`, body, token);
  const doc = { type: 'doc', content: [objective('o1', { title: 'Restore the banks', intent: 'Clean water' }), paragraph('The end.')] };
  await writeBeforeOpening(server, id, c.ngo, doc, 'The end');
  const planned = await call<LiveSession>(c.fx.brokerToken, 'POST', '/sessions', {
    title: 'Working session',
    agenda: [{ kind: 'objective', title: 'Restore the banks', objectiveId: 'o1', plannedMinutes: 10 }],
  });
  const session = `/sessions/${planned.body.id}`;
  const started = await call(c.fx.brokerToken, 'POST', `${session}/start`);
  if (started.status !== 200) throw new Error(`start failed: ${started.status} ${JSON.stringify(started.body)}`);
  const opened = await call<ConsentRound>(c.fx.brokerToken, 'POST', `${session}/rounds`, {});
  if (opened.status !== 201) throw new Error(`round failed: ${opened.status} ${JSON.stringify(opened.body)}`);
  return {
    round: opened.body,
    session,
    call,
    close: async () => (await call<ConsentRound>(c.fx.brokerToken, 'POST', `${session}/rounds/${opened.body.id}/close`)).body,
  };
}

/** A fresh cast with a round open (see {@link openRoundOnObjective}), and Nia (its first NGO negotiator) with the round's card on her page. */
export async function niaInARound(stage: Stage): Promise<{ c: Cast; round: OpenRound; nia: Person; card: Locator }> {
  const c = await cast(stage.server);
  const round = await openRoundOnObjective(stage.server, c);
  const nia = await stage.join(c.url(c.ngo));
  return { c, round, nia, card: nia.page.getByTestId('consent-round') };
}

/** Presses "Object" on the round's card and writes its reason, without sending it. */
export async function beginObjection(card: Locator, reason: string): Promise<void> {
  await card.getByRole('button', { name: 'Object', exact: true }).click();
  await card.getByLabel('Reason').fill(reason);
}

/** Takes the person's device offline and presses "Agree" on the round's card; done once the card says the answer waits. */
export async function agreeOffline(person: Person, card: Locator): Promise<void> {
  // As a person would: the round's buttons answer once the objective's text is on the page (until
  // then they wait for it, and offline it would never come).
  await expect.poll(() => card.getByRole('button', { name: 'Agree', exact: true }).isEnabled(), { timeout: 15_000 }).toBe(true);
  await person.context.setOffline(true);
  await waitForConnection(person.page, 'offline');
  await card.getByRole('button', { name: 'Agree', exact: true }).click();
  await card.getByRole('status').filter({ hasText: 'will be sent as soon as the connection is back' }).waitFor({ timeout: 10_000 });
}
