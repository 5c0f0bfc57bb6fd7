import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SnapshotSummary } from '#shared/snapshots';
import { useHarness } from '../support/harness';
import { runFingerprint } from '../support/fingerprintScript';
import { api } from '../support/server';
import { at, stage, type Stage } from './setup';

/**
 * An export is what a legal reviewer signs off on. Open suggestions are not part of its text; an
 * export of a text with some pending said nothing of them, so a reader could not tell the wording
 * was still being changed. Each export now states them, as of its moment.
 */
describe('exports of a text with open suggestions', () => {
  const harness = useHarness();
  const exported = async (s: Stage, snapshot: string, format: string) =>
    (
      await fetch(`${s.server.http}${s.path(`/snapshots/${snapshot}/export?format=${format}`)}`, { headers: { authorization: `Bearer ${s.tokens.legal}` } })
    ).text();

  it('the live text and a snapshot name the suggestions open at their moment; none open, no such line', async () => {
    const s = await stage(harness);
    const none = await exported(s, 'live', 'md');
    expect(none).not.toMatch(/open suggestion/i);

    expect((await s.suggest(s.tokens.legal, { anchor: s.anchor(at('cost'), at('.')), text: 'costs and benefits' })).status).toBe(201);
    expect((await s.suggest(s.tokens.business, { anchor: s.anchor(at('The '), at('parties')), text: '' })).status).toBe(201);
    const snapshot = await api<SnapshotSummary>(s.server, 'POST', s.path('/snapshots'), { label: 'For review' }, s.f.brokerToken);
    expect(snapshot.status).toBe(201);

    for (const [version, format] of [
      ['live', 'md'],
      ['live', 'html'],
      [snapshot.body.id, 'md'],
      [snapshot.body.id, 'html'],
    ]) {
      const file = await exported(s, version, format);
      const what = `${version} as ${format}`;
      expect(file, what).toMatch(/Open suggestions, not part of this text: 2/);
      expect(file, what).toContain('Lena Legal');
      expect(file, what).toMatch(/replacing “cost” with “costs and benefits”/);
      expect(file, what).toMatch(/Ben Carter/);
    }
    // The lines are part of what the fingerprint checker re-renders: an export stating them still checks out.
    const dir = await mkdtemp(join(tmpdir(), 'cg-pending-'));
    try {
      await writeFile(join(dir, 'live.md'), await exported(s, 'live', 'md'));
      await expect(runFingerprint(join(dir, 'live.md'))).resolves.toBeTruthy();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
