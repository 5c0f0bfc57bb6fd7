import type { ConsentRound, LiveSession } from '#shared/sessions';
import { objective, paragraph } from '../support/document';
import { api, type TestServer } from '../support/server';
import { writeBeforeOpening, type Cast } from './browser';

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
