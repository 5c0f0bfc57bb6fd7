import { describe, expect, it } from 'vitest';
import { api, createAgreement, type TestServer } from '../support/server';
import { paragraphText, synced } from '../support/clients';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { contentFragment } from '#shared/anchors';
import { ErrorCode } from '#shared/errors';
import type { AppConfig } from '../../server/src/config';
import { DEFAULT_HTTP_RATE_LIMITS } from '../../server/src/http/security';

// A snapshot stores the whole text for good (snapshots are records: never changed nor deleted), and
// any negotiator may take one, 12 a minute: with nothing else bounding them, one person's loop filled
// the server's disk (a 1 MB text: 17 GB a day) and made every listing of the agreement's history
// slower (each lists and verifies every stored state). An agreement keeps a bounded number and size
// of snapshots, and one person may take a quarter of each.
const harness = useHarness();

async function agreementWithText(s: TestServer, text: string) {
  const f = await createAgreement(s);
  const mallory = await f.invite({ role: 'negotiator', name: 'Mallory', party: f.ngoId });
  const ben = await f.invite({ role: 'negotiator', name: 'Ben', party: f.businessId });
  const writer = harness.connect(s, f.agreement.id, mallory);
  await synced(writer);
  paragraphText(writer.doc).insert(0, text);
  await waitFor(() => s.app.ctx.rooms.with(f.agreement.id, (r) => contentFragment(r.doc).toString().includes(text.slice(0, 40))), {
    what: 'text on the server',
  });
  writer.destroy();
  const take = (token: string, label: string) =>
    api<{ id: string; error: string; code: string }>(s, 'POST', `/api/agreements/${f.agreement.id}/snapshots`, { label }, token);
  return { f, mallory, ben, take };
}

const start = (caps: NonNullable<AppConfig['snapshotCaps']>, dataDir?: string) =>
  harness.start({
    snapshotCaps: caps,
    httpRateLimits: { ...DEFAULT_HTTP_RATE_LIMITS, snapshotsPerMinute: 0 },
    ...(dataDir ? { dataDir } : {}),
  });

describe("an agreement's snapshots are bounded, and one person's share of them", () => {
  it('a person who took a quarter of the snapshots an agreement keeps is refused more, and told; others still take theirs', async () => {
    const s = await start({ maxSnapshots: 8 });
    const { mallory, ben, take } = await agreementWithText(s, 'The parties agree to restore the river.');
    for (let i = 0; i < 2; i++) expect((await take(mallory, `Mallory ${i}`)).status).toBe(201);
    const refused = await take(mallory, 'Mallory again');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: ErrorCode.TooManySnapshots, error: expect.stringMatching(/your share/) });
    for (let i = 0; i < 2; i++) expect((await take(ben, `Ben ${i}`)).status).toBe(201);
  });

  it('an agreement at its cap refuses every new snapshot, saying why', async () => {
    const s = await start({ maxSnapshots: 4 });
    const { f, mallory, ben, take } = await agreementWithText(s, 'The parties agree to restore the river.');
    const noor = await f.invite({ role: 'negotiator', name: 'Noor', party: f.ngoId });
    const amina = await f.invite({ role: 'negotiator', name: 'Amina', party: f.businessId });
    for (const token of [mallory, ben, noor, f.brokerToken]) expect((await take(token, 'Mine')).status).toBe(201);
    const refused = await take(amina, 'One more');
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: ErrorCode.TooManySnapshots, error: expect.stringMatching(/keeps at most 4 snapshots/) });
    const listed = await api<unknown[]>(s, 'GET', `/api/agreements/${f.agreement.id}/snapshots`, undefined, amina);
    expect(listed.body).toHaveLength(4);
  });

  it('bytes count too: a long text fills a person’s share of the space in fewer snapshots', async () => {
    // A text of about 6 KB; the agreement keeps 64 KB of snapshots, a person 16 KB: two fit, not three.
    const s = await start({ maxSnapshots: 1000, maxBytes: 64 * 1024 });
    const { mallory, ben, take } = await agreementWithText(s, 'Clause. '.repeat(750));
    for (let i = 0; i < 2; i++) expect((await take(mallory, `Mallory ${i}`)).status).toBe(201);
    const refused = await take(mallory, 'Mallory again');
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatch(/your share.*KB/);
    expect((await take(ben, 'Ben')).status).toBe(201);
  });

  it('a restore that could not keep the text before it is refused, and changes nothing', async () => {
    const s = await start({ maxSnapshots: 4 });
    const { f, take } = await agreementWithText(s, 'The first wording.');
    const first = await take(f.brokerToken, 'First');
    expect(first.status).toBe(201);
    const writer = harness.connect(s, f.agreement.id, f.brokerToken);
    await synced(writer);
    paragraphText(writer.doc).insert(0, 'Amended: ');
    await waitFor(() => s.app.ctx.rooms.with(f.agreement.id, (r) => contentFragment(r.doc).toString().includes('Amended: ')), {
      what: 'the amendment on the server',
    });
    // The broker's share (1 of 4) is taken: restoring would have to keep "Amended: …" as a snapshot of theirs.
    const restore = await api<{ error: string; code: string }>(
      s,
      'POST',
      `/api/agreements/${f.agreement.id}/snapshots/${first.body.id}/restore`,
      undefined,
      f.brokerToken,
    );
    expect(restore.status).toBe(409);
    expect(restore.body.code).toBe(ErrorCode.TooManySnapshots);
    expect(await s.app.ctx.rooms.with(f.agreement.id, (r) => contentFragment(r.doc).toString())).toContain('Amended: The first wording.');
  });

  it('snapshots stored before a restart count after it', async () => {
    const dataDir = await harness.tempDir();
    const first = await start({ maxSnapshots: 8 }, dataDir);
    const { f, mallory, take } = await agreementWithText(first, 'The parties agree to restore the river.');
    for (let i = 0; i < 2; i++) expect((await take(mallory, `Mallory ${i}`)).status).toBe(201);
    await first.close();
    const second = await start({ maxSnapshots: 8 }, dataDir);
    const again = await api<{ error: string }>(second, 'POST', `/api/agreements/${f.agreement.id}/snapshots`, { label: 'After the restart' }, mallory);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatch(/your share/);
  });
});
