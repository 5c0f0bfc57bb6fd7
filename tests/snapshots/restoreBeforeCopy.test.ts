import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { contentRoom } from '#shared/rooms';
import type { SnapshotSummary } from '#shared/snapshots';
import { synced } from '../support/clients';
import { paragraphTexts } from '../support/document';
import { useHarness } from '../support/harness';
import { HeldStorage } from '../support/heldStorage';
import { waitFor } from '../support/poll';
import { api, createAgreement } from '../support/server';
import { storeRewordedText } from '../support/stored';
import { LowdbStorage } from '../../server/src/storage/lowdbStorage';
import { stateToContent } from '../../server/src/features/snapshots/documentContent';
import type { TransactionOrigin } from '../../server/src/rooms/origin';

// A restore keeps the text before it as a snapshot. On 40 pages reworded for months, encoding that
// copy held the event loop 65 to 90 ms; it is now encoded in the document worker from the state the
// room keeps and the changes since, taken in the same synchronous step as the restore's change.
// Whatever it is made from, the copy must be exactly the text the restore replaced.

const h = useHarness();

it(
  'the "before" copy of a restore on a long agreement is exactly the text it replaced, words not yet stored and deletions included',
  { timeout: 90_000 },
  async () => {
    const dataDir = await h.tempDir();
    const storage = new HeldStorage(await LowdbStorage.open({ dataDir }));
    // A commit still held would keep the server's close waiting for it.
    h.defer(() => storage.held?.fail(new Error('test over')));
    const s = await h.start({ dataDir }, storage);
    const f = await createAgreement(s);
    const id = f.agreement.id;
    const room = contentRoom(id);
    const path = (rest: string) => `/api/agreements/${id}${rest}`;
    // Reworded twice: 570 KB, a state the room keeps for newcomers.
    await storeRewordedText(s, room, 2);
    const writer = h.connect(s, room, f.brokerToken);
    await synced(writer, 30_000);
    const earlier = await api<SnapshotSummary>(s, 'POST', path('/snapshots'), { label: 'Earlier' }, f.brokerToken);
    expect(earlier.status).toBe(201);

    // Since then: words the kept state holds deleted, and words added.
    const [first, second, third] = paragraphTexts(writer.doc, 100);
    first.delete(0, 40);
    second.insert(0, 'Since then: ');
    // The server's own doc, held open (not through rooms.with, which waits for what is stored).
    const open = await s.app.ctx.rooms.acquire(room);
    h.defer(() => s.app.ctx.rooms.release(open));
    const onServer = (words: string) => waitFor(() => open.doc.getXmlFragment('content').toString().includes(words), { what: words });
    await onServer('Since then: ');

    // The text as the restore's change finds it.
    let replaced: Uint8Array | undefined;
    open.doc.on('beforeTransaction', (transaction: Y.Transaction) => {
      const origin = transaction.origin as TransactionOrigin | null;
      if (!replaced && origin?.kind === 'server' && origin.actingFor) replaced = Y.encodeStateAsUpdate(open.doc);
    });
    // Words applied but not yet stored when the restore comes (their commit held open).
    storage.holdNext(room);
    third.insert(0, 'Not yet stored. ');
    const held = await waitFor(() => storage.held, { what: 'the commit held open' });
    await onServer('Not yet stored. ');

    const restoring = api<{ restored: SnapshotSummary; before: SnapshotSummary }>(
      s,
      'POST',
      path(`/snapshots/${earlier.body.id}/restore`),
      undefined,
      f.brokerToken,
    );
    await waitFor(() => replaced, { what: "the restore's change" });
    await held.release();
    const restored = await restoring;
    expect(restored.status).toBe(200);

    const before = await api<{ content: unknown }>(s, 'GET', path(`/snapshots/${restored.body.before.id}`), undefined, f.brokerToken);
    expect(before.status).toBe(200);
    const expected = stateToContent(replaced!);
    expect(before.body.content).toEqual(expected);
    const words = JSON.stringify(expected);
    expect(words).toContain('Not yet stored. ');
    expect(words).toContain('Since then: ');

    // And the live text is the snapshot's again.
    const snapshot = await api<{ content: unknown }>(s, 'GET', path(`/snapshots/${earlier.body.id}`), undefined, f.brokerToken);
    expect(stateToContent(Y.encodeStateAsUpdate(open.doc))).toEqual(snapshot.body.content);
  },
);
