import { expect, it } from 'vitest';
import { countingWebSocket, paragraphText, synced } from '../support/clients';
import { useHarness } from '../support/harness';
import { api, createAgreement } from '../support/server';
import { waitFor } from '../support/poll';
import { anchorAt, contentFragment } from '#shared/anchors';
import { recordsRoom } from '#shared/rooms';
import { KEEP_FROM_BYTES } from '../../server/src/rooms/newcomerState';
import type { Thread, ThreadComment } from '#shared/threads';

const h = useHarness();

const FLOOR = 'Our floor is 3%: do not go below.';

/** An agreement with Nia (NGO) writing in its text on a stock client, and Ben (business) invited. */
async function niaAndBen() {
  const s = await h.start();
  const f = await createAgreement(s);
  const id = f.agreement.id;
  const nia = await f.invite({ role: 'negotiator', name: 'Nia Otieno', party: f.ngoId });
  const ben = await f.invite({ role: 'negotiator', name: 'Ben Kamau', party: f.businessId });
  const writer = h.connect(s, id, nia);
  await synced(writer);
  return { s, f, id, nia, ben, writer };
}

/** The floor as it appears in the bytes a newcomer's socket received (every frame), or undefined. */
function floorIn(frames: Uint8Array[]): string | undefined {
  const bytes = Buffer.concat(frames);
  expect(bytes.length).toBeGreaterThan(KEEP_FROM_BYTES);
  return bytes.toString('utf8').match(/Our floor is 3%[^"]*/)?.[0];
}

// The server keeps a long room's whole state for newcomers, with the changes relayed since, and sent
// them as they were written: a comment deleted since was still in every later page's first copy.
it('a comment deleted at once is not sent to whoever opens the agreement afterwards, not even in the bytes their page receives', async () => {
  const { s, f, id, nia, ben, writer } = await niaAndBen();
  paragraphText(writer.doc).insert(0, 'The fee is 4% of the grant, paid yearly.');
  await waitFor(() => s.app.ctx.rooms.with(id, (r) => contentFragment(r.doc).toString().includes('yearly')), { what: 'the text on the server' });
  const threads = `/api/agreements/${id}/threads`;

  // A long discussion of the fee: the records room is long enough for the server to keep it for newcomers.
  const anchor = anchorAt(contentFragment(writer.doc), 1, 9);
  const fee = await api<{ thread: Thread }>(s, 'POST', threads, { body: 'How was the fee set?', anchor }, f.brokerToken);
  for (let i = 1; i <= 30; i++) {
    const reply = await api(
      s,
      'POST',
      `${threads}/${fee.body.thread.id}/comments`,
      { body: `Point ${i}: `.padEnd(4_900, 'the costs of the year. ') },
      f.brokerToken,
    );
    expect(reply.status).toBe(201);
  }
  // Someone opens it: from then on the server keeps its whole state for newcomers.
  await synced(h.connect(s, recordsRoom(id), f.brokerToken));

  // Nia writes her party's floor in the shared thread, meaning her private notes, and deletes it at once;
  // and once more as a thread of its own.
  const oops = await api<{ comment: ThreadComment }>(s, 'POST', `${threads}/${fee.body.thread.id}/comments`, { body: FLOOR }, nia);
  expect(oops.status).toBe(201);
  expect((await api(s, 'DELETE', `${threads}/${fee.body.thread.id}/comments/${oops.body.comment.id}`, undefined, nia)).status).toBe(200);
  const again = await api<{ thread: Thread }>(s, 'POST', threads, { body: `${FLOOR} (again)`, anchor }, nia);
  expect((await api(s, 'DELETE', `${threads}/${again.body.thread.id}/comments/${again.body.thread.comments[0].id}`, undefined, nia)).status).toBe(200);

  // Ben opens the agreement afterwards.
  const { counted, Counting } = countingWebSocket({ keepFrames: true });
  const later = h.connect(s, recordsRoom(id), ben, { webSocket: Counting });
  await synced(later);
  expect(JSON.stringify(later.doc.getMap('threads').toJSON())).toContain('the costs of the year');
  expect(floorIn(counted.frames)).toBeUndefined();
});

// The same for the text: a page opened after a paste was undone was sent the pasted words.
it('words pasted into a long text and undone at once are not sent to whoever opens the agreement afterwards', async () => {
  const { s, id, ben, writer } = await niaAndBen();
  const text = paragraphText(writer.doc);
  for (let i = 1; i <= 40; i++) text.insert(text.length, `Section ${i}. `.padEnd(4_000, 'The parties share the work of the river. '));
  await waitFor(() => s.app.ctx.rooms.with(id, (r) => contentFragment(r.doc).toString().includes('Section 40.')), { what: 'the long text on the server' });
  await synced(h.connect(s, id, ben));

  const pasted = `Notes for our side: ${FLOOR} `;
  text.insert(0, pasted);
  await waitFor(() => s.app.ctx.rooms.with(id, (r) => contentFragment(r.doc).toString().includes('Notes for our side')), { what: 'the paste on the server' });
  text.delete(0, pasted.length);
  await waitFor(() => s.app.ctx.rooms.with(id, (r) => !contentFragment(r.doc).toString().includes('Notes for our side')), { what: 'the undo on the server' });

  const { counted, Counting } = countingWebSocket({ keepFrames: true });
  await synced(h.connect(s, id, ben, { webSocket: Counting }));
  expect(floorIn(counted.frames)).toBeUndefined();
});
