import { expect, it } from 'vitest';
import type { Author } from '#shared/records';
import { RoomManager } from '../../server/src/rooms/RoomManager';
import { AuthorshipLog, authorshipRoom } from '../../server/src/features/snapshots/authorship';
import { MemoryRoomStorage, MemorySocket, typed, updateFrame } from '../support/memoryRoom';
import { waitFor } from '../support/poll';

const amina: Author = { personId: 'p-amina', name: 'Amina', role: 'negotiator', party: 'ngo' };
const ben: Author = { personId: 'p-ben', name: 'Ben', role: 'negotiator', party: 'business' };
const silentLog = { error() {}, warn() {}, info() {}, debug() {} };

// Every page load is a new Yjs client id. Over months of sessions an agreement gathers
// thousands, and a server that remembered them all after the agreement closed would grow
// with every visit ever made to any agreement.
it('forgets which client ids it has written once an agreement closes, and still credits every visit', async () => {
  const storage = new MemoryRoomStorage();
  const rooms = new RoomManager(storage.port, silentLog);
  const authorship = new AuthorshipLog(rooms, silentLog);
  rooms.use(authorship);

  const VISITS = 40;
  for (let visit = 0; visit < VISITS; visit++) {
    const room = await rooms.acquire('agreement-1');
    const socket = new MemorySocket();
    room.join(socket, { canWrite: true, author: visit % 2 === 0 ? amina : ben });
    room.receive(socket, updateFrame(typed(`visit ${visit} `)));
    await authorship.flush('agreement-1');
    room.leave(socket);
    rooms.release(room);
    await waitFor(() => rooms.openRooms === 0, { what: 'the agreement and its authorship room unloaded' });
  }

  expect(authorship.clientIdsInMemory).toBe(0);
  const credited = await authorship.read('agreement-1');
  expect(Object.keys(credited.clients)).toHaveLength(VISITS);
  expect(new Set(Object.values(credited.clients))).toEqual(new Set([amina.personId, ben.personId]));
  expect(storage.states.has(authorshipRoom('agreement-1'))).toBe(true);
  await rooms.closeAll();
});
