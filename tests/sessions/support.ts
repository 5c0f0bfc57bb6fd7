import { contentRoom } from '#shared/rooms';
import type { LiveSession } from '#shared/sessions';
import type { Harness } from '../support/harness';
import { synced, type TestClient } from '../support/clients';
import { heading, objective, paragraph, writeDocument } from '../support/document';
import { api, createAgreement, objectivesOnServer, type AgreementFixture, type TestServer } from '../support/server';

/**
 * Opens the agreement text as a person whose presence shows, as the app does (it sets its
 * `user`; the stock client's first, empty state has clock 0, which awareness ignores).
 */
export function present(h: Harness, server: TestServer, agreementId: string, token: string): TestClient {
  const client = h.connect(server, contentRoom(agreementId), token);
  client.provider.awareness.setLocalStateField('user', { name: 'set by the server' });
  return client;
}

/** An agreement with a section and two objectives in its text, and one person of each role. */
export interface SessionCast {
  fx: AgreementFixture;
  id: string;
  broker: string;
  ngo: string;
  business: string;
  legal: string;
  observer: string;
  /** Calls the API under `/api/agreements/<id>` as `token`. */
  call<T = Record<string, unknown>>(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** Plans and starts a session with an objective item and a free item; answers the running session. */
  startSession(): Promise<LiveSession>;
}

export async function sessionCast(h: Harness, server: TestServer): Promise<SessionCast> {
  const fx = await createAgreement(server);
  const id = fx.agreement.id;
  const ngo = await fx.invite({ role: 'negotiator', name: 'Nia', party: fx.ngoId });
  const business = await fx.invite({ role: 'negotiator', name: 'Ben', party: fx.businessId });
  const legal = await fx.invite({ role: 'legal', name: 'Lena' });
  const observer = await fx.invite({ role: 'observer', name: 'Olu' });
  const editor = h.connect(server, contentRoom(id), ngo);
  await synced(editor);
  writeDocument(editor.doc, {
    type: 'doc',
    content: [
      heading(1, 'Shared objectives'),
      paragraph('What we will do together.'),
      objective('obj1', { title: 'Safe water for households', intent: 'Every household has safe water', band: '500 to 800', trigger: 'Drought' }),
      objective('obj2', { title: 'Jobs in the basin', intent: 'Local jobs', band: '20 to 40', trigger: 'Recession' }),
    ],
  });
  const call: SessionCast['call'] = (token, method, path, body) => api(server, method, `/api/agreements/${id}${path}`, body, token);
  await objectivesOnServer(server, id, legal, 2);
  return {
    fx,
    id,
    broker: fx.brokerToken,
    ngo,
    business,
    legal,
    observer,
    call,
    async startSession() {
      const planned = await call<LiveSession>(fx.brokerToken, 'POST', '/sessions', {
        title: 'Working session 3',
        agenda: [
          { kind: 'objective', title: 'Safe water', objectiveId: 'obj1', plannedMinutes: 20 },
          { kind: 'free', title: 'Any other business', plannedMinutes: 10 },
        ],
      });
      if (planned.status !== 201) throw new Error(`plan failed: ${planned.status} ${JSON.stringify(planned.body)}`);
      const started = await call<LiveSession>(fx.brokerToken, 'POST', `/sessions/${planned.body.id}/start`);
      if (started.status !== 200) throw new Error(`start failed: ${started.status} ${JSON.stringify(started.body)}`);
      return started.body;
    },
  };
}

/**
 * A running session on a fresh agreement with Nia (NGO) and Ben (business) present in its text and synced, then a
 * caucus break called by the broker for `minutes`; answers them and the session as the call gave it back.
 */
export async function inCaucusBreak(h: Harness, minutes = 15) {
  const server = await h.start();
  const cast = await sessionCast(h, server);
  const started = await cast.startSession();
  const nia = present(h, server, cast.id, cast.ngo);
  const ben = present(h, server, cast.id, cast.business);
  await Promise.all([nia, ben].map((c) => synced(c)));
  const called = await cast.call<LiveSession>(cast.broker, 'POST', `/sessions/${started.id}/caucus`, { minutes });
  if (called.status !== 200) throw new Error(`caucus failed: ${called.status} ${JSON.stringify(called.body)}`);
  return { server, cast, session: called.body, nia, ben };
}
