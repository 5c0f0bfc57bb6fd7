import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAgreement, api } from '../support/server';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { ACTIVITY_KEPT } from '../../server/src/features/activity/archive';
import { RecordsKey } from '#shared/records';
import { recordsRoom } from '#shared/rooms';

const harness = useHarness();

/** Bytes of every stored file of rooms whose name starts with `prefix`. */
async function roomBytes(dataDir: string, prefix: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(join(dataDir, 'rooms'))) {
    // A compaction may remove a log between the listing and the stat.
    if (name.startsWith(prefix))
      total += await stat(join(dataDir, 'rooms', name)).then(
        (s) => s.size,
        () => 0,
      );
  }
  return total;
}

describe('finding 5: records that grow without bound', () => {
  it('a thread of 5,000-character replies stops at its size limit with a 413, and the records stay small on disk', async () => {
    const s = await harness.start();
    const f = await createAgreement(s);
    const negotiator = await f.invite({ role: 'negotiator', name: 'Mallory', party: f.ngoId });
    const base = `/api/agreements/${f.agreement.id}/threads`;
    const created = await api<{ thread: { id: string } }>(s, 'POST', base, { body: 'x'.repeat(5000), caucus: true }, negotiator);
    expect(created.status).toBe(201);
    let accepted = 1;
    let refusal: { status: number; body: { error?: string } } | undefined;
    while (accepted < 120) {
      const res = await api<{ error?: string }>(s, 'POST', `${base}/${created.body.thread.id}/comments`, { body: 'y'.repeat(5000), caucus: true }, negotiator);
      if (res.status !== 201) {
        refusal = res;
        break;
      }
      accepted++;
    }
    await s.app.ctx.storage.flush();
    const bytes = await roomBytes(s.dataDir, `${f.agreement.id}.caucus.`);
    console.log(`[hostile] 5 replies: ${JSON.stringify({ accepted, refusal: refusal?.status, bytesOnDisk: bytes })}`);
    expect(refusal?.status).toBe(413);
    expect(refusal?.body.error).toMatch(/size limit/);
    expect(bytes).toBeLessThan(16 * 1024 * 1024);
  }, 120_000);

  it('the activity log keeps its last entries in the records room; older ones are archived and readable over HTTP', async () => {
    const s = await harness.start();
    const f = await createAgreement(s);
    const phases = ['managing', 'scoping'];
    const changes = ACTIVITY_KEPT + 50;
    for (let i = 0; i < changes; i++) {
      expect(
        (await api(s, 'POST', `/api/agreements/${f.agreement.id}/phase`, { phase: phases[i % 2], reason: 'back to scoping to test the log' }, f.brokerToken))
          .status,
      ).toBe(200);
    }
    await waitFor(() => s.app.ctx.rooms.with(recordsRoom(f.agreement.id), (room) => room.doc.getArray(RecordsKey.activity).length <= ACTIVITY_KEPT), {
      what: 'the records room to keep only the last entries',
    });
    const page = await api<{ total: number; entries: { kind: string }[] }>(
      s,
      'GET',
      `/api/agreements/${f.agreement.id}/activity?offset=0&limit=1000`,
      undefined,
      f.brokerToken,
    );
    expect(page.status).toBe(200);
    expect(page.body.total).toBeGreaterThanOrEqual(changes);
    expect(page.body.entries.filter((e) => e.kind === 'phase.changed')).toHaveLength(changes);
    expect((await api(s, 'GET', `/api/agreements/${f.agreement.id}/activity?limit=abc`, undefined, f.brokerToken)).status).toBe(400);
    expect((await api(s, 'GET', `/api/agreements/${f.agreement.id}/activity`)).status).toBe(401);
    // Let the rooms these reads loaded unload before the server closes.
    await waitFor(() => s.app.ctx.rooms.openRoomNames().length === 0, { timeoutMs: 10_000, what: 'rooms to unload' });
    await s.app.ctx.storage.flush();
  }, 120_000);
});
