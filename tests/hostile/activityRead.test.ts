import { describe, expect, it } from 'vitest';
import { createAgreement, api } from '../support/server';
import { useHarness } from '../support/harness';
import { DEFAULT_HTTP_RATE_LIMITS } from '../../server/src/http/security';
import { ACTIVITY_KEPT } from '../../server/src/features/activity/archive';

const harness = useHarness();

describe('reading the activity log while its oldest entries are being archived', () => {
  it('shows every entry exactly once, whenever it is read', async () => {
    // Phase changes write the entries; each keeps a snapshot, limited per minute, so the limit is lifted.
    const s = await harness.start({ httpRateLimits: { ...DEFAULT_HTTP_RATE_LIMITS, snapshotsPerMinute: 0 } });
    const f = await createAgreement(s);
    const read = async () => {
      const page = await api<{ entries: { kind: string; text: string }[] }>(
        s,
        'GET',
        `/api/agreements/${f.agreement.id}/activity?offset=0&limit=1000`,
        undefined,
        f.brokerToken,
      );
      expect(page.status).toBe(200);
      return page.body.entries.filter((e) => e.kind === 'phase.changed').map((e) => Number(/#(\d+)/.exec(e.text)?.[1]));
    };
    // Each phase change also takes a snapshot, logged a moment later: the log keeps growing, and
    // being archived, after each change has been answered.
    const changes = ACTIVITY_KEPT + 60;
    let posted = 0;
    // Reads stop with the writer, also when it fails: its error then ends the test at once.
    let writing = true;
    const writer = (async () => {
      for (; posted < changes; posted++) {
        const phase = posted % 2 === 0 ? 'managing' : 'scoping';
        const res = await api(s, 'POST', `/api/agreements/${f.agreement.id}/phase`, { phase, reason: `change #${posted}` }, f.brokerToken);
        expect(res.status).toBe(200);
      }
    })().finally(() => {
      writing = false;
    });
    let reads = 0;
    while (writing) {
      const answered = posted;
      const seen = await read();
      reads++;
      // Every change answered before the read is there once, in order, and nothing is there twice.
      expect(seen.slice(0, answered), `read ${reads}`).toEqual(Array.from({ length: answered }, (_, i) => i));
      expect(new Set(seen).size, `read ${reads}`).toBe(seen.length);
    }
    await writer;
    expect(await read()).toEqual(Array.from({ length: changes }, (_, i) => i));
  }, 120_000);
});
