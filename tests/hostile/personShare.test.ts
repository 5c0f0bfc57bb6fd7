import { describe, expect, it } from 'vitest';
import { api, createAgreement, type TestServer } from '../support/server';
import { paragraphText, synced } from '../support/clients';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { anchorAt, contentFragment } from '#shared/anchors';
import { ErrorCode } from '#shared/errors';
import { MAX_SUGGESTIONS, type Suggestion } from '#shared/suggestions';
import { MAX_COMMENTS_PER_THREAD, type Thread } from '#shared/threads';
import { threadsOf, toStoredEntry, toStoredThread } from '#shared/threadStore';
import { suggestionsOf } from '#shared/suggestionStore';
import { writeRecords } from '../../server/src/records/write';
import { MAX_THREADS } from '../../server/src/features/threads/budget';

// An agreement's threads and suggestions have caps for everyone together (a count, and bytes of
// JSON that every client syncs). One person alone could fill them (at 60 a minute, the bytes in
// about ten minutes of long replies) and so stop everyone else from commenting or suggesting.
// Each person may take a quarter of each cap; the others keep the rest.
const harness = useHarness();

/** An agreement with a passage, Mallory (who fills the caps) and Lena (who must still be heard). */
async function withTwoPeople(s: TestServer) {
  const f = await createAgreement(s);
  const mallory = await f.invite({ role: 'negotiator', name: 'Mallory', party: f.ngoId });
  const lena = await f.invite({ role: 'legal', name: 'Lena' });
  const writer = harness.connect(s, f.agreement.id, mallory);
  await synced(writer);
  paragraphText(writer.doc).insert(0, 'The parties agree to restore the river.');
  await waitFor(() => s.app.ctx.rooms.with(f.agreement.id, (r) => contentFragment(r.doc).toString().includes('river')), { what: 'text on the server' });
  const anchor = anchorAt(contentFragment(writer.doc), 5, 12);
  return { f, mallory, lena, anchor, threads: `/api/agreements/${f.agreement.id}/threads`, suggestions: `/api/agreements/${f.agreement.id}/suggestions` };
}

const longComment = (i: number) => ({ id: `c${i}`, body: '中'.repeat(5000), createdAt: new Date().toISOString() });

describe("one person's share of an agreement's threads and suggestions", () => {
  it('comments: a person whose threads and replies hold a quarter of the space is refused more; others still start threads and reply, in theirs too', async () => {
    const s = await harness.start();
    const { f, mallory, lena, anchor, threads } = await withTwoPeople(s);
    const first = await api<{ thread: Thread }>(s, 'POST', threads, { anchor, body: 'A short question.' }, mallory);
    expect(first.status).toBe(201);
    const author = first.body.thread.createdBy;
    // What Mallory's loop of long replies leaves (written directly: hundreds of requests otherwise):
    // four threads of 1.9 MB, 7.6 MB of the agreement's 8 MB.
    await writeRecords(s.app.ctx.rooms, f.agreement.id, (doc) => {
      for (let i = 0; i < 4; i++) {
        const comments = Array.from({ length: 125 }, (_, j) => ({ ...longComment(j), author }));
        threadsOf(doc).set(`big${i}`, toStoredThread({ ...first.body.thread, id: `big${i}`, comments }));
      }
    });
    const more = await api<{ error: string; code: string }>(s, 'POST', `${threads}/${first.body.thread.id}/comments`, { body: 'x'.repeat(5000) }, mallory);
    expect(more.status).toBe(413);
    expect(more.body).toMatchObject({ code: ErrorCode.ThreadsTooLarge, error: expect.stringMatching(/your share/) });
    expect((await api(s, 'POST', threads, { anchor, body: 'And another.' }, mallory)).status).toBe(413);

    // Lena's thread, and her replies in Mallory's thread (hers, not Mallory's): 300 KB.
    const hers = await api<{ thread: Thread }>(s, 'POST', threads, { anchor, body: 'Can we talk about the river?' }, lena);
    expect(hers.status).toBe(201);
    for (let i = 0; i < 20; i++) {
      const reply = await api(s, 'POST', `${threads}/big${i % 4}/comments`, { body: 'y'.repeat(5000) }, lena);
      expect(reply.status, `Lena's reply ${i}`).toBe(201);
    }
    // Three of her threads removed (as by a clean-up outside the routes): she is under her share again.
    await writeRecords(s.app.ctx.rooms, f.agreement.id, (doc) => ['big0', 'big1', 'big2'].forEach((id) => threadsOf(doc).delete(id)));
    expect((await api(s, 'POST', `${threads}/${first.body.thread.id}/comments`, { body: 'Shorter now.' }, mallory)).status).toBe(201);
  }, 60_000);

  // One thread has its own caps (500 comments, 2 MB): one person's replies filled Lena's thread for everyone.
  it('one thread: a person who wrote half of its comments, or of its space, is refused more there; the others still answer in it', async () => {
    const s = await harness.start();
    const { f, mallory, lena, anchor, threads } = await withTwoPeople(s);
    const hers = await api<{ thread: Thread }>(s, 'POST', threads, { anchor, body: 'Can we talk about the river?' }, lena);
    expect(hers.status).toBe(201);
    const theirs = await api<{ thread: Thread }>(s, 'POST', threads, { anchor, body: 'And the banks?' }, lena);
    const mine = await api<{ thread: Thread; comment: { author: Thread['createdBy'] } }>(
      s,
      'POST',
      `${threads}/${hers.body.thread.id}/comments`,
      { body: 'No.' },
      mallory,
    );
    expect(mine.status).toBe(201);
    const author = mine.body.comment.author;
    // What Mallory's loop of replies leaves (written directly): half the comments of one thread, and over 1 MB of another's.
    await writeRecords(s.app.ctx.rooms, f.agreement.id, (doc) => {
      const many = Array.from({ length: MAX_COMMENTS_PER_THREAD / 2 }, (_, j) => ({ id: `m${j}`, body: 'No.', createdAt: new Date().toISOString(), author }));
      threadsOf(doc).set(hers.body.thread.id, toStoredThread({ ...hers.body.thread, comments: [...hers.body.thread.comments, ...many] }));
      const long = Array.from({ length: 210 }, (_, j) => ({ id: `l${j}`, body: 'x'.repeat(5000), createdAt: new Date().toISOString(), author }));
      threadsOf(doc).set(theirs.body.thread.id, toStoredThread({ ...theirs.body.thread, comments: [...theirs.body.thread.comments, ...long] }));
    });
    const counted = await api<{ error: string; code: string }>(s, 'POST', `${threads}/${hers.body.thread.id}/comments`, { body: 'No!' }, mallory);
    expect(counted.status).toBe(409);
    expect(counted.body).toMatchObject({ code: ErrorCode.TooManyComments, error: expect.stringMatching(/half of this thread/) });
    expect((await api(s, 'POST', `${threads}/${hers.body.thread.id}/comments`, { body: 'Please stop.' }, lena)).status).toBe(201);
    const sized = await api<{ error: string; code: string }>(s, 'POST', `${threads}/${theirs.body.thread.id}/comments`, { body: 'x'.repeat(5000) }, mallory);
    expect(sized.status).toBe(413);
    expect(sized.body).toMatchObject({ code: ErrorCode.ThreadsTooLarge, error: expect.stringMatching(/half of this thread/) });
    expect((await api(s, 'POST', `${threads}/${theirs.body.thread.id}/comments`, { body: 'y'.repeat(5000) }, lena)).status).toBe(201);
    // Elsewhere Mallory still writes.
    expect((await api(s, 'POST', threads, { anchor, body: 'A thread of my own.' }, mallory)).status).toBe(201);
  }, 60_000);

  it('threads: a person who started a quarter of the most an agreement holds is refused more; others still start theirs', async () => {
    const s = await harness.start();
    const { f, mallory, lena, anchor, threads } = await withTwoPeople(s);
    const first = await api<{ thread: Thread }>(s, 'POST', threads, { anchor, body: 'A short question.' }, mallory);
    expect(first.status).toBe(201);
    // Threads to the cap but one, all Mallory's (her loop at 60 a minute, for 83 minutes).
    await writeRecords(s.app.ctx.rooms, f.agreement.id, (doc) => {
      for (let i = 2; i < MAX_THREADS; i++) threadsOf(doc).set(`t${i}`, toStoredThread({ ...first.body.thread, id: `t${i}` }));
    });
    const more = await api<{ error: string; code: string }>(s, 'POST', threads, { anchor, body: 'One more.' }, mallory);
    expect(more.status).toBe(409);
    expect(more.body).toMatchObject({ code: ErrorCode.TooManyThreads, error: expect.stringMatching(/your share/) });
    expect((await api(s, 'POST', threads, { anchor, body: 'Mine.' }, lena)).status).toBe(201);
  }, 60_000);

  it('suggestions: a person holding a quarter of their space, or of their number, is refused more; others still suggest and reply', async () => {
    const s = await harness.start();
    const { f, mallory, lena, anchor, suggestions } = await withTwoPeople(s);
    const made = await api<{ suggestion: Suggestion }>(s, 'POST', suggestions, { anchor, text: 'share' }, mallory);
    expect(made.status).toBe(201);
    const { author } = made.body.suggestion;
    // 7.6 MB of the 8 MB in eight suggestions with long replies, all Mallory's.
    await writeRecords(s.app.ctx.rooms, f.agreement.id, (doc) => {
      for (let i = 0; i < 8; i++) {
        const comments = Array.from({ length: 62 }, (_, j) => ({ ...longComment(j), author }));
        suggestionsOf(doc).set(`big${i}`, toStoredEntry({ ...made.body.suggestion, id: `big${i}`, comments }));
      }
    });
    const more = await api<{ error: string; code: string }>(s, 'POST', suggestions, { anchor, text: 'carry' }, mallory);
    expect(more.status).toBe(413);
    expect(more.body).toMatchObject({ code: ErrorCode.ThreadsTooLarge, error: expect.stringMatching(/your share/) });
    expect((await api(s, 'POST', `${suggestions}/big1/comments`, { body: 'Why?' }, mallory)).status).toBe(413);
    expect((await api(s, 'POST', suggestions, { anchor, text: 'hold' }, lena)).status).toBe(201);
    expect((await api(s, 'POST', `${suggestions}/big1/comments`, { body: 'Why not?' }, lena)).status).toBe(201);

    // Their number: suggestions to the cap but two, all Mallory's.
    await writeRecords(s.app.ctx.rooms, f.agreement.id, (doc) => {
      const map = suggestionsOf(doc);
      for (let i = 0; i < 8; i++) map.delete(`big${i}`);
      for (let i = map.size; i < MAX_SUGGESTIONS - 1; i++) map.set(`s${i}`, toStoredEntry({ ...made.body.suggestion, id: `s${i}` }));
    });
    const counted = await api<{ error: string; code: string }>(s, 'POST', suggestions, { anchor, text: 'carry' }, mallory);
    expect(counted.status).toBe(409);
    expect(counted.body).toMatchObject({ code: ErrorCode.TooManySuggestions, error: expect.stringMatching(/your share/) });
    expect((await api(s, 'POST', suggestions, { anchor, text: 'keep' }, lena)).status).toBe(201);
  }, 60_000);
});
