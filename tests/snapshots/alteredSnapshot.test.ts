import { expect, it } from 'vitest';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { contentString } from '../support/clients';
import { useHarness } from '../support/harness';
import { agreementWithNegotiator } from '../support/negotiator';
import { api, createAgreement } from '../support/server';
import { paragraph, writeDocument } from '../support/document';
import { waitFor } from '../support/poll';
import type { SnapshotSummary, SnapshotView } from '#shared/snapshots';

// A legal reviewer must be able to trust that a snapshot is the text that was agreed. The listing
// already calls a snapshot whose stored text no longer hashes to its fingerprint "altered"; opening,
// exporting or restoring it showed and handed out the altered text under the original fingerprint.

const h = useHarness();

it('a snapshot altered on disk is opened with a warning, and is neither exported under its fingerprint, compared nor restored', async () => {
  const { server, f, ngo } = await agreementWithNegotiator(h);
  const id = f.agreement.id;
  const legal = await f.invite({ role: 'legal', name: 'Lena Legal' });
  writeDocument(ngo.doc, { type: 'doc', content: [paragraph('The business pays 60 % of the works.')] });
  await waitFor(() => server.app.ctx.rooms.with(id, (room) => room.doc.getXmlFragment('content').toString().includes('60 %')), { what: 'the clause stored' });
  const take = (agreementId: string, token: string) =>
    api<SnapshotSummary>(server, 'POST', `/api/agreements/${agreementId}/snapshots`, { label: 'Signed text' }, token).then((r) => r.body);
  const signed = await take(id, f.brokerToken);
  const opened = await api<SnapshotView>(server, 'GET', `/api/agreements/${id}/snapshots/${signed.id}`, undefined, legal);
  expect(opened.body.verified).toBe(true);

  // Someone with access to the server's disk swaps the stored text for another.
  const other = await createAgreement(server);
  const forged = await take(other.agreement.id, other.brokerToken);
  await writeFile(
    join(server.dataDir, 'snapshots', id, `${signed.id}.ydoc`),
    await readFile(join(server.dataDir, 'snapshots', other.agreement.id, `${forged.id}.ydoc`)),
  );

  const altered = await api<SnapshotView>(server, 'GET', `/api/agreements/${id}/snapshots/${signed.id}`, undefined, legal);
  expect(altered.status).toBe(200);
  expect(altered.body).toMatchObject({ hash: signed.hash, verified: false });
  for (const format of ['docx', 'html', 'md']) {
    const exported = await api(server, 'GET', `/api/agreements/${id}/snapshots/${signed.id}/export?format=${format}`, undefined, legal);
    expect(exported, format).toMatchObject({ status: 409, body: { code: 'snapshot_altered', error: expect.stringMatching(/altered/) } });
  }
  // Nor compared as if it were the signed text, in the app or as a redline.
  const compared = await api(server, 'GET', `/api/agreements/${id}/diff?from=${signed.id}&to=live`, undefined, legal);
  expect(compared).toMatchObject({ status: 409, body: { code: 'snapshot_altered' } });
  const redline = await api(server, 'GET', `/api/agreements/${id}/redline?from=live&to=${signed.id}`, undefined, legal);
  expect(redline).toMatchObject({ status: 409, body: { code: 'snapshot_altered' } });
  const restored = await api(server, 'POST', `/api/agreements/${id}/snapshots/${signed.id}/restore`, undefined, f.brokerToken);
  expect(restored).toMatchObject({ status: 409, body: { code: 'snapshot_altered' } });
  expect(contentString(ngo.doc)).toContain('60 %');
});
