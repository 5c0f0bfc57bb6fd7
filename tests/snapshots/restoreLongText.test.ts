import { expect, it } from 'vitest';
import type * as Y from 'yjs';
import { anchorAt, contentFragment } from '#shared/anchors';
import { contentRoom } from '#shared/rooms';
import type { SnapshotSummary } from '#shared/snapshots';
import type { ThreadListing } from '#shared/threads';
import { synced } from '../support/clients';
import { paragraphTexts } from '../support/document';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { api, createAgreement } from '../support/server';
import { storeRewordedText } from '../support/stored';

// After a restore, the snapshot's text was applied at once to find the threads' passages in it: on 40
// pages reworded for months 200 ms and more in which no room's keystrokes moved, and it was applied even
// with no thread to anchor. It is now read only for a thread, cut in the document worker, a slice at a time.

const h = useHarness();

it('after restoring a long agreement, a thread whose passage is back is anchored to it again', { timeout: 90_000 }, async () => {
  const s = await h.start();
  const f = await createAgreement(s);
  const id = f.agreement.id;
  const path = (rest: string) => `/api/agreements/${id}${rest}`;
  // Reworded twice: 570 KB, over what is cut in pieces.
  await storeRewordedText(s, contentRoom(id), 2);
  const broker = h.connect(s, contentRoom(id), f.brokerToken);
  await synced(broker, 30_000);
  // The first paragraph, after the heading "1. Section 1": its text starts past the heading's node and its own opening.
  const fragment = contentFragment(broker.doc);
  const text = paragraphTexts(broker.doc, 100)[0];
  expect(text.parent).toBe(fragment.get(1));
  const start = ((fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText).length + 2;
  const words = text.toString().slice(10, 30).trim();
  const started = await api<{ id: string }>(
    s,
    'POST',
    path('/threads'),
    { anchor: anchorAt(fragment, start + 11, start + 31), body: 'Which words?' },
    f.brokerToken,
  );
  expect(started.status).toBe(201);
  const listed = async () => (await api<{ threads: ThreadListing[] }>(s, 'GET', path('/threads'), undefined, f.brokerToken)).body.threads[0];
  expect((await listed()).currentQuote).toBe(words);

  const taken = await api<SnapshotSummary>(s, 'POST', path('/snapshots'), { label: 'Before the cut' }, f.brokerToken);
  expect(taken.status).toBe(201);
  text.delete(0, text.length);
  await waitFor(async () => (await listed()).detached, { timeoutMs: 10_000, what: 'the thread detached by the deletion' });
  expect((await api(s, 'POST', path(`/snapshots/${taken.body.id}/restore`), undefined, f.brokerToken)).status).toBe(200);
  await waitFor(async () => !(await listed()).detached, { timeoutMs: 20_000, what: 'the thread anchored again' });
  expect((await listed()).currentQuote).toBe(words);
});
