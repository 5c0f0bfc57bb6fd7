import { expect } from 'vitest';
import { contentString, synced } from './clients';
import { longAgreement, writeDocument } from './document';
import type { Harness } from './harness';
import { api, createAgreement, type AgreementFixture, type TestServer } from './server';
import { waitFor } from './poll';

export interface LongVersions {
  s: TestServer;
  f: AgreementFixture;
  id: string;
  /** The snapshot of the first version; the live text is the amended one. */
  snapshotId: string;
}

/**
 * A real server holding a long agreement in two versions: a snapshot of `pages` pages, then the
 * live text with every `amendEvery`-th paragraph of each page amended. Written by the broker
 * through a stock client in steps of 20 pages (no update near the message limit), and read back
 * through another before each step is used.
 */
export async function longVersions(
  harness: Harness,
  { pages, amendEvery, objectiveEvery }: { pages: number; amendEvery: number; objectiveEvery?: number },
): Promise<LongVersions> {
  const s = await harness.start();
  const f = await createAgreement(s);
  const id = f.agreement.id;
  const writer = harness.connect(s, id, f.brokerToken);
  await synced(writer);
  for (let written = 20; written <= pages; written += 20) writeDocument(writer.doc, longAgreement(Math.min(written, pages), { objectiveEvery }));
  const reader = harness.connect(s, id, await f.invite({ role: 'observer', name: 'Olu' }));
  await waitFor(() => contentString(reader.doc).includes(`${pages}. Section ${pages}`), { timeoutMs: 30_000, what: 'the long text on the server' });
  const taken = await api<{ id: string }>(s, 'POST', `/api/agreements/${id}/snapshots`, { label: 'Long draft' }, f.brokerToken);
  expect(taken.status).toBe(201);
  writeDocument(writer.doc, longAgreement(pages, { amendEvery, objectiveEvery }));
  await waitFor(() => contentString(reader.doc).includes('Amended: '), { timeoutMs: 30_000, what: 'the amended text on the server' });
  return { s, f, id, snapshotId: taken.body.id };
}
