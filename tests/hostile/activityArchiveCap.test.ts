import { describe, expect, it } from 'vitest';
import { api, createAgreement } from '../support/server';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { RecordsKey, type ActivityEntry, type Author } from '#shared/records';
import { recordsRoom } from '#shared/rooms';
import { logActivity, writeRecords } from '../../server/src/records/write';
import { ACTIVITY_KEPT } from '../../server/src/features/activity/archive';

// Every resolve, reopen, edit and stance logs an activity entry, and the entries past the last 200 move to an
// archive kept for good: 60 a minute per person, bounded by that rate only. One person toggling a thread's
// state all day added 86,000 entries a day, each read whole into memory on every page of GET /activity and
// stored for good. The archive now keeps a bounded number; past it, the busiest writers' oldest entries go first.
const harness = useHarness();

const lena: Author = { personId: 'lena', name: 'Lena', role: 'negotiator' };
const mallory: Author = { personId: 'mallory', name: 'Mallory', role: 'negotiator' };

describe('the archived activity log is bounded', () => {
  it("keeps at most its cap: a flood drops the flooder's oldest entries, not the others'", async () => {
    const s = await harness.start({ maxArchivedActivity: 300 });
    const f = await createAgreement(s);
    const log = async (by: Author, count: number, label: string) => {
      for (let done = 0; done < count; done += 100) {
        await writeRecords(s.app.ctx.rooms, f.agreement.id, (doc) => {
          for (let i = done; i < Math.min(count, done + 100); i++) logActivity(doc, by, 'thread.resolved', `${label} #${i}`);
        });
      }
    };
    const read = () =>
      api<{ total: number; dropped: number; entries: ActivityEntry[] }>(
        s,
        'GET',
        `/api/agreements/${f.agreement.id}/activity?offset=0&limit=1000`,
        undefined,
        f.brokerToken,
      );
    const before = (await read()).body.total;
    await log(lena, 100, 'Lena');
    await log(mallory, 2000, 'Mallory');
    await waitFor(() => s.app.ctx.rooms.with(recordsRoom(f.agreement.id), (room) => room.doc.getArray(RecordsKey.activity).length <= ACTIVITY_KEPT), {
      what: 'the oldest entries archived',
    });
    const page = await read();
    expect(page.status).toBe(200);
    expect(page.body.total).toBeLessThanOrEqual(300 + ACTIVITY_KEPT);
    const texts = page.body.entries.map((e) => e.text);
    // Lena's entries are all kept, and Mallory's latest; what was dropped is counted.
    for (let i = 0; i < 100; i++) expect(texts).toContain(`Lena #${i}`);
    expect(texts).toContain('Mallory #1999');
    expect(texts).not.toContain('Mallory #0');
    expect(page.body.dropped).toBe(before + 2100 - page.body.total);
  });
});
