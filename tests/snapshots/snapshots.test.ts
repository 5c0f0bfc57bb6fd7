import { beforeAll, describe, expect, it } from 'vitest';
import { writeFile } from 'node:fs/promises';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { contentString, synced, type TestClient } from '../support/clients';
import { useHarness } from '../support/harness';
import { api, createAgreement, type AgreementFixture, type TestServer } from '../support/server';
import { waitFor } from '../support/poll';
import { contentRoom, recordsRoom } from '#shared/rooms';
import { RecordsKey } from '#shared/records';
import type { DiffResult, ProseMirrorJSON, SnapshotSummary, SnapshotView, VerifiedSnapshot } from '#shared/snapshots';
import { writeRecords } from '../../server/src/records/write';

const run = promisify(execFile);

/** Text runs of a diff with their change mark, in document order. */
function changes(content: ProseMirrorJSON): { text: string; kind?: string; party?: unknown; name?: unknown }[] {
  if (content.type === 'text') {
    const mark = content.marks?.find((m) => m.type === 'insertion' || m.type === 'deletion');
    return [{ text: content.text ?? '', kind: mark?.type, party: mark?.attrs?.party, name: mark?.attrs?.name }];
  }
  return (content.content ?? []).flatMap(changes);
}

function plain(content: ProseMirrorJSON): string {
  // Both test clients may have created the first paragraph: empty ones do not count.
  return content.text ?? (content.content ?? []).map(plain).filter(Boolean).join('\n');
}

describe('snapshots', () => {
  let server: TestServer;
  let f: AgreementFixture;
  let ngo: TestClient;
  let business: TestClient;
  let tokens: { ngo: string; business: string; legal: string; observer: string };
  // One server for the whole suite: its tests build on each other's snapshots.
  const h = useHarness({ teardown: 'all' });
  const path = (rest = '') => `/api/agreements/${f.agreement.id}${rest}`;
  const take = async (label: string, token = f.brokerToken) => api<SnapshotSummary>(server, 'POST', path('/snapshots'), { label }, token);
  const list = async () => (await api<VerifiedSnapshot[]>(server, 'GET', path('/snapshots'), undefined, tokens.legal)).body;

  beforeAll(async () => {
    server = await h.start();
    f = await createAgreement(server);
    tokens = {
      ngo: await f.invite({ role: 'negotiator', name: 'Amina Odhiambo', party: f.ngoId }),
      business: await f.invite({ role: 'negotiator', name: 'Ben Carter', party: f.businessId }),
      legal: await f.invite({ role: 'legal', name: 'Lena Legal' }),
      observer: await f.invite({ role: 'observer', name: 'Olu Observer' }),
    };
    ngo = h.connect(server, contentRoom(f.agreement.id), tokens.ngo);
    business = h.connect(server, contentRoom(f.agreement.id), tokens.business);
    await synced(ngo);
    await synced(business);
  });

  let first: SnapshotSummary;
  let second: SnapshotSummary;

  it('a broker or negotiator takes a named snapshot; legal reviewers and observers may not', async () => {
    ngo.text.insert(0, 'The partners restore the river banks together.');
    // Read the fragment, not business.text: that would create a paragraph of its own.
    await waitFor(() => contentString(business.doc).includes('together'), { what: 'text reaches the business client' });

    const res = await take('Draft for board review, 12 March');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ label: 'Draft for board review, 12 March', reason: 'manual', prevHash: null });
    expect(res.body.hash).toMatch(/^[0-9a-f]{64}$/);
    first = res.body;

    expect((await take('Not allowed', tokens.legal)).status).toBe(403);
    expect((await take('Not allowed', tokens.observer)).status).toBe(403);
    expect((await take('', tokens.ngo)).status).toBe(400);
    const wrongType = await api<{ error: string }>(server, 'POST', path('/snapshots'), { label: 42 }, f.brokerToken);
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error).toBeTruthy();

    // The records room's index shows it live.
    const index = await server.app.ctx.rooms.with(recordsRoom(f.agreement.id), (room) => room.doc.getArray(RecordsKey.snapshots).toJSON());
    expect(index).toEqual([expect.objectContaining({ id: first.id, hash: first.hash })]);
  });

  it('anyone invited opens a snapshot exactly as the text stood then, with the records of that moment', async () => {
    await writeRecords(server.app.ctx.rooms, f.agreement.id, (doc) => doc.getMap(RecordsKey.stances).set('o1:' + f.ngoId, { stance: 'agree' }));
    const res = await take('With a stance', tokens.ngo);
    expect(res.status).toBe(201);
    const opened = await api<SnapshotView>(server, 'GET', path(`/snapshots/${res.body.id}`), undefined, tokens.observer);
    expect(opened.status).toBe(200);
    expect(plain(opened.body.content)).toBe('The partners restore the river banks together.');
    expect(opened.body.context.stances).toEqual({ [`o1:${f.ngoId}`]: { stance: 'agree' } });
    expect(opened.body.prevHash).toBe(first.hash);

    expect((await api(server, 'GET', path('/snapshots/nope'), undefined, tokens.legal)).status).toBe(404);
  });

  it('a diff marks insertions and deletions in place, attributed to the person and party who made them', async () => {
    // The business deletes "river ", the NGO adds a deadline.
    const at = business.text.toString().indexOf('river ');
    business.text.delete(at, 'river '.length);
    await waitFor(() => !ngo.text.toString().includes('river'), { what: 'deletion reaches the NGO' });
    ngo.text.insert(ngo.text.length - 1, ' by 2030');
    await waitFor(() => business.text.toString().includes('2030'), { what: 'insertion reaches the business' });
    second = (await take('After the first round')).body;

    const diff = await api<DiffResult>(server, 'GET', path(`/diff?from=${second.id}&to=${first.id}`), undefined, tokens.legal);
    expect(diff.status).toBe(200);
    // Asked newest first, answered oldest first.
    expect(diff.body.from.id).toBe(first.id);
    const runs = changes(diff.body.content);
    expect(runs).toContainEqual({ text: 'river ', kind: 'deletion', party: f.businessId, name: 'Ben Carter' });
    expect(runs).toContainEqual({ text: ' by 2030', kind: 'insertion', party: f.ngoId, name: 'Amina Odhiambo' });
    expect(runs.map((r) => r.text).join('')).toBe('The partners restore the river banks together by 2030.');
    expect(diff.body.summary).toMatchObject({ total: 2, insertions: 1, deletions: 1 });
    expect(diff.body.summary.byParty).toEqual(
      expect.arrayContaining([
        { key: f.ngoId, insertions: 1, deletions: 0, facts: 0 },
        { key: f.businessId, insertions: 0, deletions: 1, facts: 0 },
      ]),
    );

    // Against the live text, after more typing.
    ngo.text.insert(0, 'Preamble. ');
    const live = await waitFor(
      async () => {
        const res = await api<DiffResult>(server, 'GET', path(`/diff?from=${second.id}`), undefined, tokens.legal);
        return changes(res.body.content).some((r) => r.text === 'Preamble. ' && r.kind === 'insertion') ? res.body : undefined;
      },
      { what: 'live diff shows the new text' },
    );
    expect(live!.to.id).toBe('live');
  });

  it('bad diff input answers 4xx with a JSON error', async () => {
    const other = await createAgreement(server);
    const foreign = (await api<SnapshotSummary>(server, 'POST', `/api/agreements/${other.agreement.id}/snapshots`, { label: 'Other' }, other.brokerToken)).body;
    const across = await api<{ error: string }>(server, 'GET', path(`/diff?from=${first.id}&to=${foreign.id}`), undefined, tokens.legal);
    expect(across.status).toBe(404);
    expect(across.body.error).toMatch(/snapshot/);
    expect((await api(server, 'GET', path('/diff'), undefined, tokens.legal)).status).toBe(400);
    expect((await api(server, 'GET', path(`/diff?from=${first.id}`))).status).toBe(401);
  });

  it('a broker restores a snapshot as a new change everyone sees, keeping the text before it', async () => {
    expect((await api(server, 'POST', path(`/snapshots/${first.id}/restore`), undefined, tokens.ngo)).status).toBe(403);
    const before = business.text.toString();
    const res = await api<{ restored: SnapshotSummary; before: SnapshotSummary }>(
      server,
      'POST',
      path(`/snapshots/${first.id}/restore`),
      undefined,
      f.brokerToken,
    );
    expect(res.status).toBe(200);
    await waitFor(() => ngo.text.toString() === 'The partners restore the river banks together.', { what: 'restored text reaches clients' });
    expect(business.text.toString()).toBe('The partners restore the river banks together.');

    const kept = await api<SnapshotView>(server, 'GET', path(`/snapshots/${res.body.before.id}`), undefined, tokens.legal);
    expect(kept.body.reason).toBe('restore');
    expect(plain(kept.body.content)).toBe(before);

    // The restore is attributed to the broker who did it. y-prosemirror rewrites the whole span
    // between the common prefix and suffix, but the diff shows only the words that differ.
    const diff = await api<DiffResult>(server, 'GET', path(`/diff?from=${res.body.before.id}`), undefined, tokens.legal);
    const runs = changes(diff.body.content).filter((r) => r.kind);
    expect(runs.every((r) => r.name === 'Brook Broker' && r.party === null)).toBe(true);
    expect(runs.map((r) => [r.kind, r.text])).toEqual([
      ['deletion', 'Preamble. '],
      ['insertion', 'river '],
      ['deletion', ' by 2030'],
    ]);
  });

  it('snapshots on their own at a phase change', async () => {
    const count = (await list()).length;
    const broker = { agreementId: f.agreement.id, role: 'broker' as const, name: 'Brook Broker', personId: 'p-broker' };
    server.app.ctx.events.emit('phase.changed', { agreementId: f.agreement.id, by: broker, phase: 'building', previous: 'scoping' });
    const all = await waitFor(
      async () => {
        const now = await list();
        return now.length > count ? now : undefined;
      },
      { what: 'automatic snapshot' },
    );
    expect(all!.at(-1)).toMatchObject({ reason: 'phase', label: 'Phase: building', verified: true });
  });

  it('exports parse: Markdown and HTML hold the text and the fingerprint, the .docx opens as a Word document', async () => {
    const { readZip } = await import('../support/zip');
    const base = `${server.http}${path(`/snapshots/${second.id}/export`)}`;
    const get = (format: string) => fetch(`${base}?format=${format}`, { headers: { authorization: `Bearer ${tokens.legal}` } });

    const md = await get('md');
    expect(md.headers.get('content-disposition')).toContain('attachment');
    const mdText = await md.text();
    expect(mdText).toContain('The partners restore the banks together by 2030.');
    expect(mdText).toContain(second.hash);
    expect(mdText).toContain('After the first round');

    const html = await (await get('html')).text();
    expect(html).toContain('<p>The partners restore the banks together by 2030.</p>');
    expect(html).toContain(second.hash);

    const docx = await get('docx');
    expect(docx.headers.get('content-type')).toContain('wordprocessingml');
    const files = readZip(new Uint8Array(await docx.arrayBuffer()));
    const xml = files.get('word/document.xml')?.toString('utf8') ?? '';
    expect(xml).toContain('The partners restore the banks together by 2030.');
    expect(xml).toContain(second.hash);

    const live = await (
      await fetch(`${server.http}${path('/snapshots/live/export?format=md')}`, { headers: { authorization: `Bearer ${tokens.legal}` } })
    ).text();
    expect(live).toContain('Live text');

    // Anyone can recompute the fingerprint from the export with the documented command.
    const file = join(server.dataDir, 'export.md');
    await writeFile(file, mdText);
    const { stdout } = await run('npx', ['tsx', 'scripts/fingerprint.ts', file]);
    expect(stdout).toContain(`recomputed: ${second.hash}`);
    await writeFile(file, mdText.replace('by 2030', 'by 2035'));
    await expect(run('npx', ['tsx', 'scripts/fingerprint.ts', file])).rejects.toMatchObject({ code: 1 });

    const bad = await get('pdf');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toBeTruthy();
  });

  it('the chain check fails from a snapshot altered on disk onwards', async () => {
    const before = await list();
    expect(before.every((s) => s.verified && s.chainValid)).toBe(true);

    // Replace the second snapshot's stored state by another, valid, document.
    const other = await createAgreement(server);
    const forged = (await api<SnapshotSummary>(server, 'POST', `/api/agreements/${other.agreement.id}/snapshots`, { label: 'x' }, other.brokerToken)).body;
    const { readFile } = await import('node:fs/promises');
    const forgedState = await readFile(join(server.dataDir, 'snapshots', other.agreement.id, `${forged.id}.ydoc`));
    await writeFile(join(server.dataDir, 'snapshots', f.agreement.id, `${second.id}.ydoc`), forgedState);

    const after = await list();
    const index = after.findIndex((s) => s.id === second.id);
    expect(after[index].verified).toBe(false);
    expect(after.slice(0, index).every((s) => s.chainValid)).toBe(true);
    expect(after.slice(index).every((s) => !s.chainValid)).toBe(true);
  });
});
