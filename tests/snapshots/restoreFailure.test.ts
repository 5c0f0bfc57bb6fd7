import { expect, it } from 'vitest';
import { contentRoom } from '#shared/rooms';
import type { SnapshotSummary, VerifiedSnapshot } from '#shared/snapshots';
import { contentString, synced } from '../support/clients';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { api, createAgreement } from '../support/server';
import { LowdbStorage } from '../../server/src/storage/lowdbStorage';
import type { Storage } from '../../server/src/storage/port';

const h = useHarness();

/** The real lowdb storage, whose snapshot writes fail while `failing` is set (a full disk, a database refusing the record). */
async function storageThatMayFail(dataDir: string): Promise<{ storage: Storage; failing: { on: boolean; afterMs: number } }> {
  const inner = await LowdbStorage.open({ dataDir });
  // `afterMs`: a database that times out rather than refusing at once.
  const failing = { on: false, afterMs: 0 };
  const storage = new Proxy(inner, {
    get(target, key) {
      const value: unknown = Reflect.get(target, key, target);
      if (key === 'saveSnapshot') {
        return (...args: Parameters<Storage['saveSnapshot']>) =>
          failing.on
            ? new Promise<void>((_resolve, reject) => setTimeout(() => reject(new Error('no space left on device')), failing.afterMs))
            : target.saveSnapshot(...args);
      }
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { storage, failing };
}

const LATER = 'Version one. Months of later work.';

/**
 * A server whose snapshot writes fail while told to, an agreement with a snapshot "One" of
 * "Version one." and, since it, later work written by a negotiator's stock client (held by the server).
 */
async function laterWorkSinceOne() {
  const dataDir = await h.tempDir();
  const { storage, failing } = await storageThatMayFail(dataDir);
  const s = await h.start({ dataDir }, storage);
  const f = await createAgreement(s);
  const id = f.agreement.id;
  const path = (rest: string) => `/api/agreements/${id}${rest}`;
  const writer = h.connect(s, contentRoom(id), await f.invite({ role: 'negotiator', name: 'Nia', party: f.ngoId }));
  await synced(writer);
  writer.text.insert(0, 'Version one.');
  await waitFor(async () => (await api(s, 'POST', path('/snapshots'), { label: 'One' }, f.brokerToken)).status === 201, { what: 'snapshot one' });
  const one = (await api<VerifiedSnapshot[]>(s, 'GET', path('/snapshots'), undefined, f.brokerToken)).body[0];
  writer.text.insert(writer.text.length, ' Months of later work.');
  await waitFor(() => s.app.ctx.rooms.with(contentRoom(id), (room) => room.doc.getXmlFragment('content').toString().includes('later work')), {
    what: 'the later work on the server',
  });
  const restore = () =>
    api<{ error: string; code: string; restored: SnapshotSummary; before: SnapshotSummary }>(
      s,
      'POST',
      path(`/snapshots/${one.id}/restore`),
      undefined,
      f.brokerToken,
    );
  return { s, f, id, path, writer, failing, restore };
}

// A restore replaced the live text first and kept the text before it as a snapshot after: when that
// snapshot could not be stored (on PostgreSQL, a stance reason holding a NUL did it), the answer was a
// 500, the live text had been replaced anyway and the work since the restored version was in no snapshot.
it('a restore whose "before" snapshot cannot be kept changes nothing: the live text stays, what others type meanwhile too', async () => {
  const { s, f, path, writer, failing, restore } = await laterWorkSinceOne();

  failing.on = true;
  const refused = await restore();
  expect(refused.status).toBeGreaterThanOrEqual(500);
  expect(refused.body).toMatchObject({ error: expect.any(String), code: expect.any(String) });

  // Nothing changed for anyone: the writer's text, and a newcomer's.
  const newcomer = h.connect(s, contentRoom(f.agreement.id), f.brokerToken);
  await synced(newcomer);
  await waitFor(() => contentString(newcomer.doc).includes('later work'), { what: 'the newcomer gets the text' });
  expect(writer.text.toString()).toBe(LATER);
  expect(newcomer.text.toString()).toBe(LATER);
  writer.text.insert(writer.text.length, ' Still typing.');
  await waitFor(() => newcomer.text.toString() === `${LATER} Still typing.`, { what: 'typing goes on' });
  const listed = (await api<VerifiedSnapshot[]>(s, 'GET', path('/snapshots'), undefined, f.brokerToken)).body;
  expect(listed.map((snapshot) => snapshot.label)).toEqual(['One']);

  // Once snapshots can be stored again, the same restore works and keeps the text before it.
  failing.on = false;
  const restored = await restore();
  expect(restored.status).toBe(200);
  await waitFor(() => newcomer.text.toString() === 'Version one.', { what: 'the restored text' });
  expect(restored.body.before.label).toMatch(/Before restoring/);
});

// With nobody connected the text's room unloads as soon as the restore lets go of it: the change
// was taken back in the unloaded copy, and the restored text stayed in the one stored.
it('with nobody in the text, a restore whose "before" snapshot fails late is taken back too', async () => {
  const { s, f, id, writer, failing, restore } = await laterWorkSinceOne();
  writer.destroy();

  failing.on = true;
  failing.afterMs = 300;
  const refused = await restore();
  expect(refused.status).toBeGreaterThanOrEqual(500);
  const reader = h.connect(s, contentRoom(id), f.brokerToken);
  await synced(reader);
  await waitFor(() => contentString(reader.doc).includes('Version one.'), { what: 'the reader gets the text' });
  expect(reader.text.toString()).toBe(LATER);
});
