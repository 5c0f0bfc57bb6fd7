import { cp } from 'node:fs/promises';
import { expect, it } from 'vitest';
import { contentRoom } from '#shared/rooms';
import type { SnapshotSummary } from '#shared/snapshots';
import { contentString, paragraphText, synced } from '../support/clients';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { api, createAgreement } from '../support/server';
import { LowdbStorage } from '../../server/src/storage/lowdbStorage';
import { holdCalls } from '../support/heldCalls';

// A restore writes two things: the live text (the content room's log) and the text it replaces, kept
// as a snapshot (its state, context and index files). A kill -9 between the two must leave the words
// the restore replaces somewhere: in the live text or in a snapshot.

const h = useHarness();

it('a crash while a restore keeps the text before it: the words it replaces are in the live text or in a snapshot', { timeout: 90_000 }, async () => {
  const dataDir = await h.tempDir('cg-restore-crash-');
  const storage = await LowdbStorage.open({ dataDir });
  const s = await h.start({ dataDir }, storage);
  const f = await createAgreement(s);
  const path = (rest: string) => `/api/agreements/${f.agreement.id}${rest}`;
  const writer = h.connect(s, contentRoom(f.agreement.id), f.brokerToken);
  await synced(writer);
  paragraphText(writer.doc).insert(0, 'Agreed words. ');
  const agreed = await waitFor(async () => {
    const taken = await api<SnapshotSummary>(s, 'POST', path('/snapshots'), { label: 'Agreed' }, f.brokerToken);
    if (taken.status !== 201) return undefined;
    const opened = await api<{ content: unknown }>(s, 'GET', path(`/snapshots/${taken.body.id}`), undefined, f.brokerToken);
    return JSON.stringify(opened.body.content).includes('Agreed words.') ? taken.body : undefined;
  });
  paragraphText(writer.doc).insert(0, 'Words written since. ');
  // rooms.with answers once what the room holds is stored.
  await waitFor(() => s.app.ctx.rooms.with(contentRoom(f.agreement.id), (room) => contentString(room.doc).includes('Words written since.')), {
    what: 'the words written since, stored',
  });

  // The restore's "before restoring" snapshot (the next one stored) is held at the storage's door.
  const held = holdCalls(storage, 'saveSnapshot', 1);
  h.defer(() => held.release());
  const restoring = api(s, 'POST', path(`/snapshots/${agreed.id}/restore`), undefined, f.brokerToken);
  await waitFor(() => held.waiting === 1, { what: 'the restore to keep the text before it' });
  // The crash: what is on disk now, whatever the server still held in memory (appends wait 20 ms at most).
  await storage.flush();
  const crashed = await h.tempDir('cg-restore-crashed-');
  await cp(dataDir, crashed, { recursive: true });
  await held.release();
  expect((await restoring).status).toBe(200);

  const after = await h.start({ dataDir: crashed });
  expect((await fetch(`${after.http}/api/health`)).status).toBe(200);
  const reader = h.connect(after, contentRoom(f.agreement.id), f.brokerToken);
  await synced(reader);
  const live = contentString(reader.doc);
  const snapshots = await api<SnapshotSummary[]>(after, 'GET', path('/snapshots'), undefined, f.brokerToken);
  const kept = await Promise.all(
    snapshots.body.map(async (snapshot) => JSON.stringify((await api(after, 'GET', path(`/snapshots/${snapshot.id}`), undefined, f.brokerToken)).body)),
  );
  const places = [`live text: ${live}`, ...kept.map((content, i) => `snapshot "${snapshots.body[i].label}": ${content}`)];
  expect(
    places.filter((place) => place.includes('Words written since.')),
    places.join('\n'),
  ).not.toHaveLength(0);
});
