import { describe, expect, it } from 'vitest';
import { RecordsKey } from '#shared/records';
import { recordsRoom } from '#shared/rooms';
import { isStoredThread, readThread, threadsOf } from '#shared/threadStore';
import type { Thread } from '#shared/threads';
import { writeRecords } from '../../server/src/records/write';
import { useHarness } from '../support/harness';
import { storedDoc } from '../support/stored';
import { api, createAgreement, type TestServer } from '../support/server';

const h = useHarness();

/** The records room as stored on disk, replayed into a fresh doc. */
const storedRecords = (s: TestServer, agreementId: string) => storedDoc(s, recordsRoom(agreementId));

describe('threads stored as entries of their own', () => {
  it('a room stored in the earlier shape (each thread one plain value) is migrated as it loads, and reads and writes as before', async () => {
    const first = await h.start();
    const f = await createAgreement(first);
    const id = f.agreement.id;
    const author = { personId: 'p1', name: 'Nia Otieno', role: 'negotiator' as const, party: f.ngoId };
    const old: Thread = {
      id: 'old-thread',
      quote: 'restore the river',
      createdBy: author,
      createdAt: '2025-01-01T00:00:00.000Z',
      resolved: true,
      resolvedBy: author,
      resolvedAt: '2025-01-02T00:00:00.000Z',
      comments: [
        { id: 'c1', body: 'Which section?', author, createdAt: '2025-01-01T00:00:00.000Z' },
        { id: 'c2', body: '', author, createdAt: '2025-01-01T00:01:00.000Z', deleted: true, deletedAt: '2025-01-01T00:02:00.000Z' },
      ],
      mentions: [],
    };
    // Written as the server of the earlier version wrote it: one plain value.
    await writeRecords(first.app.ctx.rooms, id, (doc) => doc.getMap(RecordsKey.threads).set(old.id, old));
    const onDisk = await storedRecords(first, id);
    expect(isStoredThread(onDisk.getMap(RecordsKey.threads).get(old.id))).toBe(false);
    await first.close();

    const second = await h.start({ dataDir: first.dataDir });
    const listed = await api<{ threads: Thread[] }>(second, 'GET', `/api/agreements/${id}/threads`, undefined, f.brokerToken);
    expect(listed.status).toBe(200);
    expect(listed.body.threads[0]).toMatchObject({ ...old, detached: false });
    await second.app.ctx.rooms.with(recordsRoom(id), (room) => {
      const entry = threadsOf(room.doc).get(old.id);
      expect(isStoredThread(entry)).toBe(true);
      expect(readThread(entry!)).toEqual(old);
    });
    const reply = await api<{ thread: Thread }>(
      second,
      'POST',
      `/api/agreements/${id}/threads/${old.id}/comments`,
      { body: 'The upper reach.' },
      f.brokerToken,
    );
    expect(reply.status).toBe(201);
    expect(reply.body.thread).toMatchObject({ resolved: false, comments: [{ id: 'c1' }, { id: 'c2', deleted: true }, { body: 'The upper reach.' }] });
    await second.close();

    // The migration was stored: the room loads in the new shape with the reply.
    const third = await h.start({ dataDir: first.dataDir });
    const stored = await storedRecords(third, id);
    const entry = threadsOf(stored).get(old.id);
    expect(isStoredThread(entry)).toBe(true);
    expect(readThread(entry!).comments.map((c) => c.body)).toEqual(['Which section?', '', 'The upper reach.']);
    expect(readThread(entry!).resolvedBy).toBeUndefined();
  });
});
