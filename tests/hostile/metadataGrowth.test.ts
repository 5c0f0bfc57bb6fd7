import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RecordsKey } from '#shared/records';
import { writeRecords } from '../../server/src/records/write';
import { DEFAULT_HTTP_RATE_LIMITS } from '../../server/src/http/security';
import { api, createAgreement } from '../support/server';
import { useHarness } from '../support/harness';

const harness = useHarness();

const sizeOf = (path: string) =>
  stat(path).then(
    (s) => s.size,
    () => 0,
  );

describe('finding 6: metadata rewritten on every change', () => {
  it('twenty snapshots of an agreement with 1 MB of open threads leave every agreement’s metadata small', async () => {
    // Twenty at once: past the default limit on snapshots a minute, lifted here (0).
    const s = await harness.start({ httpRateLimits: { ...DEFAULT_HTTP_RATE_LIMITS, snapshotsPerMinute: 0 } });
    const f = await createAgreement(s);
    const id = f.agreement.id;
    // Open threads as the server stores them (written directly: the HTTP route needs anchors).
    await writeRecords(s.app.ctx.rooms, id, (doc) => {
      const threads = doc.getMap(RecordsKey.threads);
      for (let i = 0; i < 20; i++) threads.set(`t${i}`, { id: `t${i}`, resolved: false, comments: [{ id: `c${i}`, body: 'x'.repeat(50_000) }] });
    });
    for (let i = 0; i < 20; i++) {
      const res = await api(s, 'POST', `/api/agreements/${id}/snapshots`, { label: `Draft ${i}` }, f.brokerToken);
      expect(res.status).toBe(201);
    }
    const started = performance.now();
    const other = await createAgreement(s);
    const createMs = Math.round(performance.now() - started);

    const legacy = await sizeOf(join(s.dataDir, 'agreements.json'));
    const agreementFile = await sizeOf(join(s.dataDir, 'agreements', `${other.agreement.id}.json`));
    const index = await sizeOf(join(s.dataDir, 'snapshots', id, 'index.json'));
    console.log(`[hostile] 6 metadata: ${JSON.stringify({ legacyAgreementsJson: legacy, newAgreementFile: agreementFile, snapshotIndex: index, createMs })}`);
    expect(legacy).toBe(0);
    expect(agreementFile).toBeGreaterThan(0);
    expect(agreementFile).toBeLessThan(16 * 1024);
    expect(index).toBeLessThan(64 * 1024);
    // Each snapshot still opens with the threads of its moment.
    const list = await api<{ id: string }[]>(s, 'GET', `/api/agreements/${id}/snapshots`, undefined, f.brokerToken);
    const opened = await api<{ context: { openThreads: Record<string, unknown> } }>(
      s,
      'GET',
      `/api/agreements/${id}/snapshots/${list.body[19].id}`,
      undefined,
      f.brokerToken,
    );
    expect(Object.keys(opened.body.context.openThreads)).toHaveLength(20);
  });
});
