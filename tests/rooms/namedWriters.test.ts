import { expect, it } from 'vitest';
import * as Y from 'yjs';
import * as syncProtocol from 'y-protocols/sync';
import type { Author } from '#shared/records';
import { MAX_NAMED_WRITERS } from '#shared/protocol';
import { writerIdsMessage } from '#shared/writerIds';
import { RoomManager } from '../../server/src/rooms/RoomManager';
import { syncMessage } from '../../server/src/rooms/messages';
import { AuthorshipLog } from '../../server/src/features/snapshots/authorship';
import { MemoryRoomStorage, MemorySocket } from '../support/memoryRoom';

const mallory: Author = { personId: 'p-mallory', name: 'Mallory', role: 'negotiator', party: 'ngo' };
const silentLog = { error() {}, warn() {}, info() {}, debug() {} };

/** Words written under client id `client`, as an update. */
function writtenBy(client: number, text: string): Uint8Array {
  const doc = new Y.Doc();
  doc.clientID = client;
  doc.getText('t').insert(0, text);
  return Y.encodeStateAsUpdate(doc);
}

// Naming ids is how a person claims words the server cannot place, so what one connection may name is
// bounded: a hand-made client naming every id it can think of is read up to MAX_NAMED_WRITERS.
it('reads at most MAX_NAMED_WRITERS ids a connection names: words under the ids past them are credited to nobody', async () => {
  const rooms = new RoomManager(new MemoryRoomStorage().port, silentLog);
  const authorship = new AuthorshipLog(rooms, silentLog);
  rooms.use(authorship);
  const room = await rooms.acquire('agreement-1');
  const socket = new MemorySocket();
  room.join(socket, { canWrite: true, author: mallory });

  const ids = Array.from({ length: MAX_NAMED_WRITERS + 1 }, (_, i) => 1000 + i);
  room.receive(socket, writerIdsMessage(ids.slice(0, 1)));
  room.receive(socket, writerIdsMessage(ids.slice(1)));
  const answer = Y.mergeUpdates([
    writtenBy(ids[0], 'first '),
    writtenBy(ids[MAX_NAMED_WRITERS - 1], 'last named '),
    writtenBy(ids[MAX_NAMED_WRITERS], 'one too many'),
  ]);
  room.receive(socket, syncMessage(syncProtocol.messageYjsSyncStep2, answer));

  const { clients } = await authorship.read('agreement-1');
  expect(clients[String(ids[0])]).toBe(mallory.personId);
  expect(clients[String(ids[MAX_NAMED_WRITERS - 1])]).toBe(mallory.personId);
  expect(clients[String(ids[MAX_NAMED_WRITERS])]).toBeUndefined();
  room.leave(socket);
  rooms.release(room);
  await rooms.closeAll();
});
