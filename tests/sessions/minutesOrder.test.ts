import { expect, it } from 'vitest';
import type { ConsentRound, Minutes } from '#shared/sessions';
import { useHarness } from '../support/harness';
import { api, startServer, type TestServer } from '../support/server';
import { sessionCast } from './support';

const h = useHarness();

// The records are kept in maps, whose order after a reload follows Yjs's client ids, not time.
it('the minutes list an item’s decisions, rounds, actions and parked points in the order they happened, across server restarts', async () => {
  const first = await h.start();
  const c = await sessionCast(h, first);
  const session = await c.startSession();
  const s = `/api/agreements/${c.id}/sessions/${session.id}`;
  h.destroyClients();
  let server: TestServer = first;
  const restart = async () => {
    await server.close();
    server = await startServer({ dataDir: first.dataDir });
  };
  const call = async <T>(token: string, method: string, path: string, body?: unknown) => {
    const res = await api<T>(server, method, path, body, token);
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  try {
    for (let i = 1; i <= 3; i++) {
      await call(c.broker, 'POST', `${s}/decisions`, { text: `Decision ${i}` });
      await call(c.broker, 'POST', `${s}/actions`, { what: `Action ${i}`, owner: { kind: 'party', id: c.fx.ngoId } });
      await call(c.broker, 'POST', `/api/agreements/${c.id}/parked`, { note: `Point ${i}` });
      const round = await call<ConsentRound>(c.broker, 'POST', `${s}/rounds`, {});
      await call(c.ngo, 'POST', `${s}/rounds/${round.id}/answers`, { answer: i === 2 ? 'agree' : 'object', reason: `Round ${i}` });
      await call(c.broker, 'POST', `${s}/rounds/${round.id}/close`);
      await restart();
    }
    const minutes = await call<Minutes>(c.broker, 'POST', `${s}/end`);
    const item = minutes.items[0];
    expect(item.decisions.map((d) => d.text)).toEqual(['Decision 1', 'Decision 2', 'Decision 3']);
    expect(item.actions.map((a) => a.what)).toEqual(['Action 1', 'Action 2', 'Action 3']);
    expect(item.parked.map((p) => p.note)).toEqual(['Point 1', 'Point 2', 'Point 3']);
    expect(minutes.openParked.map((p) => p.note)).toEqual(['Point 1', 'Point 2', 'Point 3']);
    expect(item.rounds.map((r) => r.results?.[0].reason ?? r.results?.[0].answer)).toEqual(['Round 1', 'agree', 'Round 3']);
  } finally {
    await server.close();
  }
});
