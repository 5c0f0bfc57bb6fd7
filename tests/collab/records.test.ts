import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { rawSocket, synced } from '../support/clients';
import { createAgreement } from '../support/server';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { caucusRoom, recordsRoom } from '#shared/rooms';
import { CloseCode } from '#shared/protocol';
import { writeRecords } from '../../server/src/records/write';

const harness = useHarness();

it('the records room is written by the server alone: clients see its writes live, their own are dropped', async () => {
  const server = await harness.start();
  const f = await createAgreement(server);
  const ngo = harness.connect(server, recordsRoom(f.agreement.id), await f.invite({ role: 'negotiator', name: 'Amina', party: f.ngoId }));
  const broker = harness.connect(server, recordsRoom(f.agreement.id), f.brokerToken);
  await synced(ngo);
  await synced(broker);

  await writeRecords(server.app.ctx.rooms, f.agreement.id, (doc) => doc.getMap('meta').set('phase', 'scoping'));
  await waitFor(() => ngo.doc.getMap('meta').get('phase') === 'scoping', { what: 'server write arrives' });

  // A forged statement from a client: even the broker cannot write records directly.
  broker.doc.getMap('meta').set('phase', 'forged');
  ngo.doc.getMap('meta').set('stance', 'forged');
  const room = await server.app.ctx.rooms.acquire(recordsRoom(f.agreement.id));
  await waitFor(() => room.droppedUpdates >= 2, { what: 'forged updates dropped' });
  expect(room.doc.getMap('meta').toJSON()).toEqual({ phase: 'scoping' });
  server.app.ctx.rooms.release(room);

  await server.app.ctx.storage.flush();
  const stored = new Y.Doc();
  for (const u of await server.app.ctx.storage.loadRoom(recordsRoom(f.agreement.id))) Y.applyUpdate(stored, u);
  expect(stored.getMap('meta').toJSON()).toEqual({ phase: 'scoping' });
});

it('a caucus room opens only to members of its party, brokers included', async () => {
  const server = await harness.start();
  const f = await createAgreement(server);
  const ngoToken = await f.invite({ role: 'negotiator', name: 'Amina', party: f.ngoId });
  const businessToken = await f.invite({ role: 'negotiator', name: 'Ben', party: f.businessId });
  const own = harness.connect(server, caucusRoom(f.agreement.id, f.ngoId), ngoToken);
  await synced(own);
  const url = `${server.ws}/${caucusRoom(f.agreement.id, f.ngoId)}`;
  expect((await (await rawSocket(`${url}?token=${businessToken}`)).closed).code).toBe(CloseCode.Forbidden);
  expect((await (await rawSocket(`${url}?token=${f.brokerToken}`)).closed).code).toBe(CloseCode.Forbidden);
});
