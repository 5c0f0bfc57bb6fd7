import { expect, it } from 'vitest';
import { api, createAgreement } from '../support/server';
import { synced } from '../support/clients';
import { useHarness } from '../support/harness';
import { DEFAULT_MAX_MESSAGE_BYTES } from '#shared/protocol';

// `/api/health` answers anyone, token or not. It told them how many agreements were open at that
// moment: polled, a stranger learns when negotiations run and how busy the server is. What it
// publishes is what clients need to size their messages; the count is an operator's setting.
const harness = useHarness();

it('the health answer tells anyone what a client needs to size its messages, and not how many agreements are open', async () => {
  const s = await harness.start();
  const f = await createAgreement(s);
  await synced(harness.connect(s, f.agreement.id, f.brokerToken));
  const health = await api<Record<string, unknown>>(s, 'GET', '/api/health');
  expect(health.status).toBe(200);
  expect(health.body).not.toHaveProperty('rooms');
  expect(health.body.maxMessageBytes).toBe(DEFAULT_MAX_MESSAGE_BYTES);
  expect(health.body.updateAllowance).toEqual(expect.objectContaining({ maxStructs: expect.any(Number) }));
});

it('an operator who asks for it (HEALTH_ROOM_COUNT=1, for a bench or a private monitor) gets the count of open agreements', async () => {
  const s = await harness.start({ healthRoomCount: true });
  const f = await createAgreement(s);
  const client = harness.connect(s, f.agreement.id, f.brokerToken);
  await synced(client);
  expect((await api<{ rooms: number }>(s, 'GET', '/api/health')).body.rooms).toBeGreaterThanOrEqual(1);
});
