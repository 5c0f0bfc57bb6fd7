import { expect, it } from 'vitest';
import { RecordsKey } from '#shared/records';
import { recordsRoom } from '#shared/rooms';
import type { AttendanceEntry, Minutes } from '#shared/sessions';
import { useHarness } from '../support/harness';
import { api, type TestServer } from '../support/server';
import { synced } from '../support/clients';
import { waitFor } from '../support/poll';
import { present, sessionCast } from './support';

const h = useHarness();

// A crash records nobody's leaving: Nia, who never came back after it, was in the minutes as present to the end.
it('after a crash mid-session, a person who never comes back is not in the minutes as present until the end', { timeout: 60_000 }, async () => {
  const dir = await h.tempDir('cg-attendance-');
  const first = await h.child(dir);
  // A child server speaks HTTP and websockets like the harness's own: the helpers need no more.
  const c = await sessionCast(h, first as unknown as TestServer);
  const nia = present(h, first as unknown as TestServer, c.id, c.ngo);
  await synced(nia);
  const session = await c.startSession();
  h.destroyClients();
  await first.kill('SIGKILL');

  const second = (await h.child(dir)) as unknown as TestServer;
  // Ben comes in after the restart; Nia does not come back.
  const ben = present(h, second, c.id, c.business);
  await synced(ben);
  const watcher = h.connect(second, recordsRoom(c.id), c.legal);
  await synced(watcher);
  const attendance = watcher.doc.getArray<AttendanceEntry>(RecordsKey.attendance);
  await waitFor(() => attendance.toArray().some((e) => e.name === 'Ben' && e.kind === 'join'), { what: 'Ben’s arrival recorded', timeoutMs: 10_000 });

  const minutes = (await api<Minutes>(second, 'POST', `/api/agreements/${c.id}/sessions/${session.id}/end`, undefined, c.broker)).body;
  const byName = new Map(minutes.attendees.map((a) => [a.name, a.present]));
  const [niaStretch] = byName.get('Nia') ?? [];
  expect(niaStretch.leftAt <= byName.get('Ben')![0].joinedAt, `Nia left at ${niaStretch.leftAt}, the session ended at ${minutes.endedAt}`).toBe(true);
  expect(byName.get('Ben')![0].leftAt).toBe(minutes.endedAt);
});
