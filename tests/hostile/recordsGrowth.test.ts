import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createAgreement, api, type TestServer } from '../support/server';
import { paragraphText, synced } from '../support/clients';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { ACTIVITY_KEPT } from '../../server/src/features/activity/archive';
import { RecordsKey } from '#shared/records';
import { recordsRoom } from '#shared/rooms';
import { anchorAt, contentFragment } from '#shared/anchors';
import { ErrorCode } from '#shared/errors';
import { DEFAULT_HTTP_RATE_LIMITS } from '../../server/src/http/security';
import type { Thread, ThreadComment } from '#shared/threads';
import type { Suggestion } from '#shared/suggestions';
import { threadsOf, toStoredEntry, toStoredThread } from '#shared/threadStore';
import { suggestionsOf } from '#shared/suggestionStore';
import { writeRecords } from '../../server/src/records/write';

const harness = useHarness();

/** Bytes of every stored file of rooms whose name starts with `prefix`. */
async function roomBytes(dataDir: string, prefix: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(join(dataDir, 'rooms'))) {
    // A compaction may remove a log between the listing and the stat.
    if (name.startsWith(prefix))
      total += await stat(join(dataDir, 'rooms', name)).then(
        (s) => s.size,
        () => 0,
      );
  }
  return total;
}

/** Bytes of the records room's update log and state on disk, once everything queued is written. */
async function recordsBytes(s: TestServer, agreementId: string): Promise<number> {
  await s.app.ctx.storage.flush();
  return roomBytes(s.dataDir, recordsRoom(agreementId));
}

/**
 * Posts `count` replies of `text` characters with `reply` (each must answer 201) and measures
 * the records room on disk: the bytes the first reply, then each batch of `batch` replies, added.
 */
async function replyGrowth(
  s: TestServer,
  agreementId: string,
  { count, text, batch }: { count: number; text: number; batch: number },
  reply: (body: string, i: number) => Promise<{ status: number; body: { error?: string } }>,
): Promise<number[]> {
  const costs: number[] = [];
  let before = await recordsBytes(s, agreementId);
  for (let i = 0; i < count; i++) {
    const res = await reply(String(i % 10).repeat(text), i);
    expect(res.status, JSON.stringify(res.body.error)).toBe(201);
    if (i % batch === batch - 1 || i === 0) {
      const now = await recordsBytes(s, agreementId);
      costs.push(now - before);
      before = now;
    }
  }
  return costs;
}

/** An agreement whose text holds a passage, and the anchor of that passage. */
async function withPassage(s: TestServer) {
  const f = await createAgreement(s);
  const negotiator = await f.invite({ role: 'negotiator', name: 'Mallory', party: f.ngoId });
  const writer = harness.connect(s, f.agreement.id, negotiator);
  await synced(writer);
  paragraphText(writer.doc).insert(0, 'The parties agree to restore the river.');
  await waitFor(() => s.app.ctx.rooms.with(f.agreement.id, (r) => contentFragment(r.doc).toString().includes('river')), { what: 'text on the server' });
  const anchor = anchorAt(contentFragment(writer.doc), 5, 12);
  return { f, negotiator, anchor, base: `/api/agreements/${f.agreement.id}/threads` };
}

/**
 * Three negotiators who reply in turn: one person may write only half of a thread (its comments, its
 * bytes), so a thread is filled to its own caps by several people.
 */
async function inTurns(f: Awaited<ReturnType<typeof withPassage>>['f'], first: string) {
  const tokens = [
    first,
    await f.invite({ role: 'negotiator', name: 'Ben', party: f.businessId }),
    await f.invite({ role: 'negotiator', name: 'Noor', party: f.ngoId }),
  ];
  return { tokens, nth: (i: number) => tokens[i % tokens.length] };
}

describe('finding 5: records that grow without bound', () => {
  it('each reply, edit, delete and resolve writes only what changed: 250 replies of 5,000 characters grow the records log linearly', async () => {
    // The per-person comment rate limit is not what is tested here (many people could post as fast).
    const s = await harness.start({ httpRateLimits: { ...DEFAULT_HTTP_RATE_LIMITS, commentsPerMinute: 100_000 } });
    const { f, negotiator, anchor, base } = await withPassage(s);
    const created = await api<{ thread: Thread }>(s, 'POST', base, { anchor, body: 'x'.repeat(5000) }, negotiator);
    expect(created.status).toBe(201);
    const threadPath = `${base}/${created.body.thread.id}`;
    const people = await inTurns(f, negotiator);
    let turn = 0;
    const reply = (body: string) =>
      api<{ thread: Thread; comment: ThreadComment; error?: string; code?: string }>(s, 'POST', `${threadPath}/comments`, { body }, people.nth(turn++));

    const REPLIES = 250;
    const TEXT = 5000;
    const costs = await replyGrowth(s, f.agreement.id, { count: REPLIES, text: TEXT, batch: 25 }, reply);
    const total = costs.reduce((a, b) => a + b, 0);
    console.log(
      `[hostile] 5 replies: ${JSON.stringify({ replies: REPLIES, bytesOnDisk: total, perReply: Math.round(total / REPLIES), lastBatchPerReply: Math.round(costs.at(-1)! / 25) })}`,
    );
    // Linear: every batch of 25 replies costs about their own text, the last as the first.
    for (const [i, cost] of costs.entries()) expect(cost, `batch ${i}`).toBeLessThan((i === 0 ? 1 : 25) * TEXT * 2);
    expect(total).toBeLessThan(REPLIES * TEXT * 2);

    // An edit, a delete and a resolve each write about what they change, not the thread.
    const thread = (await api<{ threads: Thread[] }>(s, 'GET', base, undefined, negotiator)).body.threads[0];
    expect(thread.comments).toHaveLength(REPLIES + 1);
    // Reply 99 (comment 100) is the first negotiator's, reply 100 the second's: each changed by its author.
    const target = thread.comments[100];
    const step = async (what: string, bound: number, act: () => Promise<{ status: number }>) => {
      const was = await recordsBytes(s, f.agreement.id);
      expect((await act()).status, what).toBe(200);
      const cost = (await recordsBytes(s, f.agreement.id)) - was;
      console.log(`[hostile] 5 ${what}: ${cost} bytes`);
      expect(cost, what).toBeLessThan(bound);
    };
    await step('edit', 2 * TEXT, () => api(s, 'PATCH', `${threadPath}/comments/${target.id}`, { body: 'e'.repeat(TEXT) }, negotiator));
    await step('delete', 2048, () => api(s, 'DELETE', `${threadPath}/comments/${thread.comments[101].id}`, undefined, people.nth(1)));
    await step('resolve', 2048, () => api(s, 'POST', `${threadPath}/resolve`, {}, negotiator));
    const after = (await api<{ threads: Thread[] }>(s, 'GET', base, undefined, negotiator)).body.threads[0];
    expect(after.resolved).toBe(true);
    expect(after.comments[100].body).toBe('e'.repeat(TEXT));
    expect(after.comments[101]).toMatchObject({ deleted: true, body: '' });

    // Still bounded: replies go on until the thread is at its size limit, then a clear 413.
    let refusal: Awaited<ReturnType<typeof reply>> | undefined;
    for (let i = 0; i < 1000 && !refusal; i++) {
      const res = await reply('ü'.repeat(TEXT));
      if (res.status !== 201) refusal = res;
    }
    expect(refusal?.status).toBe(413);
    expect(refusal?.body).toMatchObject({ code: ErrorCode.ThreadsTooLarge, error: expect.stringMatching(/size limit/) });
  }, 240_000);

  it("a room's threads over their total cap refuse anything that grows them with a 413, and still let people delete", async () => {
    const s = await harness.start();
    const { f, negotiator, anchor, base } = await withPassage(s);
    const created = await api<{ thread: Thread }>(s, 'POST', base, { anchor, body: 'A short question.' }, negotiator);
    expect(created.status).toBe(201);
    // Threads as big as the thread cap lets them be, written directly (thousands of requests otherwise).
    const author = created.body.thread.createdBy;
    await writeRecords(s.app.ctx.rooms, f.agreement.id, (doc) => {
      for (let i = 0; i < 5; i++) {
        const comments = Array.from({ length: 340 }, (_, j) => ({ id: `c${i}-${j}`, body: 'z'.repeat(5000), author, createdAt: new Date().toISOString() }));
        threadsOf(doc).set(`big${i}`, toStoredThread({ ...created.body.thread, id: `big${i}`, comments }));
      }
    });
    const refused = await api<{ error: string; code: string }>(s, 'POST', `${base}/${created.body.thread.id}/comments`, { body: 'One more.' }, negotiator);
    expect(refused.status).toBe(413);
    expect(refused.body).toMatchObject({ code: ErrorCode.ThreadsTooLarge, error: expect.stringMatching(/comments are at their size limit/) });
    const another = await api<{ error: string; code: string }>(s, 'POST', base, { anchor, body: 'A new thread.' }, negotiator);
    expect(another.status).toBe(413);
    const removed = await api(s, 'DELETE', `${base}/big0/comments/c0-0`, undefined, negotiator);
    expect(removed.status).toBe(200);
  });

  it('each reply to a suggestion and its decision write only themselves: 100 replies of 2,000 characters grow the records log linearly', async () => {
    // The per-person comment rate limit is not what is tested here (many people could post as fast).
    const s = await harness.start({ httpRateLimits: { ...DEFAULT_HTTP_RATE_LIMITS, commentsPerMinute: 100_000 } });
    const { f, negotiator, anchor } = await withPassage(s);
    const base = `/api/agreements/${f.agreement.id}/suggestions`;
    const made = await api<{ suggestion: Suggestion }>(s, 'POST', base, { anchor, text: 'share' }, negotiator);
    expect(made.status).toBe(201);
    const path = `${base}/${made.body.suggestion.id}`;
    const people = await inTurns(f, negotiator);
    let turn = 0;
    const reply = (body: string) =>
      api<{ suggestion: Suggestion; comment: ThreadComment; error?: string; code?: string }>(s, 'POST', `${path}/comments`, { body }, people.nth(turn++));

    const REPLIES = 100;
    const TEXT = 2000;
    const costs = await replyGrowth(s, f.agreement.id, { count: REPLIES, text: TEXT, batch: 20 }, async (body, i) => {
      const res = await reply(body);
      if (res.status === 201) expect(res.body.suggestion.comments).toHaveLength(i + 1);
      return res;
    });
    const total = costs.reduce((a, b) => a + b, 0);
    console.log(
      `[hostile] 5 suggestion replies: ${JSON.stringify({ replies: REPLIES, bytesOnDisk: total, perReply: Math.round(total / REPLIES), lastBatchPerReply: Math.round(costs.at(-1)! / 20) })}`,
    );
    // Linear: every batch of 20 replies costs about their own text, the last as the first.
    for (const [i, cost] of costs.entries()) expect(cost, `batch ${i}`).toBeLessThan((i === 0 ? 1 : 20) * TEXT * 2);
    expect(total).toBeLessThan(REPLIES * TEXT * 2);

    // A decision writes its few fields, not the suggestion with its replies.
    const was = await recordsBytes(s, f.agreement.id);
    const rejected = await api<{ suggestion: Suggestion }>(s, 'POST', `${path}/reject`, {}, f.brokerToken);
    expect(rejected.status).toBe(200);
    expect(rejected.body.suggestion).toMatchObject({ status: 'rejected', comments: expect.any(Array) });
    const decisionCost = (await recordsBytes(s, f.agreement.id)) - was;
    console.log(`[hostile] 5 suggestion decision: ${decisionCost} bytes`);
    expect(decisionCost).toBeLessThan(2048);
    const listed = await api<{ suggestions: Suggestion[] }>(s, 'GET', base, undefined, negotiator);
    expect(listed.body.suggestions[0]).toMatchObject({ status: 'rejected', decidedBy: { name: expect.any(String) } });
    expect(listed.body.suggestions[0].comments).toHaveLength(REPLIES);
    expect(listed.body.suggestions[0].comments[REPLIES - 1].body).toBe('9'.repeat(TEXT));

    // Still bounded: replies go on until the suggestion is at its size limit, then a clear 413.
    let refusal: Awaited<ReturnType<typeof reply>> | undefined;
    for (let i = 0; i < 400 && !refusal; i++) {
      const res = await reply('ü'.repeat(5000));
      if (res.status !== 201) refusal = res;
    }
    expect(refusal?.status).toBe(413);
    expect(refusal?.body).toMatchObject({ code: ErrorCode.ThreadsTooLarge, error: expect.stringMatching(/size limit/) });
  }, 240_000);

  it("an agreement's suggestions over their total cap refuse new ones and replies with a 413, and can still be decided", async () => {
    const s = await harness.start();
    const { f, negotiator, anchor } = await withPassage(s);
    const base = `/api/agreements/${f.agreement.id}/suggestions`;
    const made = await api<{ suggestion: Suggestion }>(s, 'POST', base, { anchor, text: 'share' }, negotiator);
    expect(made.status).toBe(201);
    // Suggestions with as many replies as their cap lets them hold, written directly (thousands of requests otherwise).
    const { author } = made.body.suggestion;
    await writeRecords(s.app.ctx.rooms, f.agreement.id, (doc) => {
      for (let i = 0; i < 9; i++) {
        const comments = Array.from({ length: 190 }, (_, j) => ({ id: `c${i}-${j}`, body: 'z'.repeat(5000), author, createdAt: new Date().toISOString() }));
        suggestionsOf(doc).set(`big${i}`, toStoredEntry({ ...made.body.suggestion, id: `big${i}`, comments }));
      }
    });
    const another = await api<{ error: string; code: string }>(s, 'POST', base, { anchor, text: 'carry' }, negotiator);
    expect(another.status).toBe(413);
    expect(another.body).toMatchObject({ code: ErrorCode.ThreadsTooLarge, error: expect.stringMatching(/suggestions are at their size limit/) });
    const reply = await api<{ error: string; code: string }>(s, 'POST', `${base}/${made.body.suggestion.id}/comments`, { body: 'Why?' }, negotiator);
    expect(reply.status).toBe(413);
    expect((await api(s, 'POST', `${base}/${made.body.suggestion.id}/reject`, {}, f.brokerToken)).status).toBe(200);
  });

  it('replies to a suggestion are rate limited like comments', async () => {
    const s = await harness.start();
    const { f, negotiator, anchor } = await withPassage(s);
    const base = `/api/agreements/${f.agreement.id}/suggestions`;
    const made = await api<{ suggestion: { id: string } }>(s, 'POST', base, { anchor, text: 'share' }, negotiator);
    expect(made.status).toBe(201);
    const statuses: number[] = [];
    for (let i = 0; i < 100 && statuses.at(-1) !== 429; i++) {
      statuses.push((await api(s, 'POST', `${base}/${made.body.suggestion.id}/comments`, { body: 'Why?' }, negotiator)).status);
    }
    expect(statuses.at(-1)).toBe(429);
    expect(statuses.slice(0, -1).every((status) => status === 201)).toBe(true);
  }, 120_000);

  // Each suggestion is a record every person's editor draws in the text and lists in its panel; nothing
  // limited how fast one person made them, so a loop filled the agreement's cap for everyone within a minute.
  it('new suggestions are rate limited with comments: one person’s loop is refused with a JSON error, another person still suggests', async () => {
    const s = await harness.start({ httpRateLimits: { ...DEFAULT_HTTP_RATE_LIMITS, commentsPerMinute: 20 } });
    const { f, negotiator, anchor } = await withPassage(s);
    const base = `/api/agreements/${f.agreement.id}/suggestions`;
    expect((await api(s, 'POST', `/api/agreements/${f.agreement.id}/threads`, { body: 'A note first', caucus: true }, negotiator)).status).toBe(201);
    const statuses: number[] = [];
    let refused: unknown;
    for (let i = 0; i < 40; i++) {
      const answer = await api(s, 'POST', base, { anchor, text: `share ${i}` }, negotiator);
      statuses.push(answer.status);
      if (answer.status === 429) refused ??= answer.body;
    }
    // The note counted too: 19 suggestions, then refusals.
    expect(statuses.slice(0, 19)).toEqual(Array(19).fill(201));
    expect(statuses.slice(19)).toEqual(Array(21).fill(429));
    expect(refused).toEqual({ error: expect.stringMatching(/too many requests/), code: 'rate_limited' });
    const other = await f.invite({ role: 'legal', name: 'Lena' });
    expect((await api(s, 'POST', base, { anchor, text: 'carry' }, other)).status).toBe(201);
    const listed = await api<{ suggestions: unknown[] }>(s, 'GET', base, undefined, other);
    expect(listed.body.suggestions).toHaveLength(20);
  });

  it('the activity log keeps its last entries in the records room; older ones are archived and readable over HTTP', async () => {
    // Phase changes are the quickest way to write many entries; each keeps a snapshot, limited per minute, so the limit is lifted.
    const s = await harness.start({ httpRateLimits: { ...DEFAULT_HTTP_RATE_LIMITS, snapshotsPerMinute: 0 } });
    const f = await createAgreement(s);
    const phases = ['managing', 'scoping'];
    const changes = ACTIVITY_KEPT + 50;
    for (let i = 0; i < changes; i++) {
      expect(
        (await api(s, 'POST', `/api/agreements/${f.agreement.id}/phase`, { phase: phases[i % 2], reason: 'back to scoping to test the log' }, f.brokerToken))
          .status,
      ).toBe(200);
    }
    await waitFor(() => s.app.ctx.rooms.with(recordsRoom(f.agreement.id), (room) => room.doc.getArray(RecordsKey.activity).length <= ACTIVITY_KEPT), {
      what: 'the records room to keep only the last entries',
    });
    const page = await api<{ total: number; entries: { kind: string }[] }>(
      s,
      'GET',
      `/api/agreements/${f.agreement.id}/activity?offset=0&limit=1000`,
      undefined,
      f.brokerToken,
    );
    expect(page.status).toBe(200);
    expect(page.body.total).toBeGreaterThanOrEqual(changes);
    expect(page.body.entries.filter((e) => e.kind === 'phase.changed')).toHaveLength(changes);
    expect((await api(s, 'GET', `/api/agreements/${f.agreement.id}/activity?limit=abc`, undefined, f.brokerToken)).status).toBe(400);
    expect((await api(s, 'GET', `/api/agreements/${f.agreement.id}/activity`)).status).toBe(401);
    // Let the rooms these reads loaded unload before the server closes.
    await waitFor(() => s.app.ctx.rooms.openRoomNames().length === 0, { timeoutMs: 10_000, what: 'rooms to unload' });
    await s.app.ctx.storage.flush();
  }, 120_000);
});
