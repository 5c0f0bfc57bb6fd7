import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { paragraphText, rawSocket, synced, type TestClient } from '../support/clients';
import { useHarness } from '../support/harness';
import { api, createAgreement, type AgreementFixture, type TestServer } from '../support/server';
import { waitFor } from '../support/poll';
import { anchorAt, contentFragment } from '#shared/anchors';
import { updateYFragment } from '@tiptap/y-tiptap';
import { documentSchema } from '#shared/schema';
import { CloseCode } from '#shared/protocol';
import { RecordsKey, type ActivityEntry } from '#shared/records';
import { caucusRoom, recordsRoom } from '#shared/rooms';
import type { PeopleResponse } from '#shared/access';
import { readThread, storedComments, threadsOf, toStoredThread, type StoredThread } from '#shared/threadStore';
import type { PersonSummary, Thread, ThreadAnchor, ThreadComment, ThreadListing } from '#shared/threads';

const h = useHarness();

const TEXT = 'The parties agree to restore the Nzoia river. Funding comes from both sides.';

interface Cast {
  s: TestServer;
  f: AgreementFixture;
  id: string;
  ngo: string;
  ngo2: string;
  business: string;
  legal: string;
  observer: string;
  /** A content-room client holding TEXT, as the NGO negotiator. */
  writer: TestClient;
}

async function cast(s?: TestServer): Promise<Cast> {
  s ??= await h.start();
  const f = await createAgreement(s);
  const ngo = await f.invite({ role: 'negotiator', name: 'Nia Otieno', party: f.ngoId });
  const writer = client(s, f.agreement.id, ngo);
  await synced(writer);
  paragraphText(writer.doc).insert(0, TEXT);
  await waitFor(() => s.app.ctx.rooms.with(f.agreement.id, (r) => contentFragment(r.doc).toString().includes('both sides')), { what: 'text on the server' });
  return {
    s,
    f,
    id: f.agreement.id,
    ngo,
    ngo2: await f.invite({ role: 'negotiator', name: 'Noor Achieng', party: f.ngoId }),
    business: await f.invite({ role: 'negotiator', name: 'Ben Kamau', party: f.businessId }),
    legal: await f.invite({ role: 'legal', name: 'Lena Vogt' }),
    observer: await f.invite({ role: 'observer', name: 'Olu Observer' }),
    writer,
  };
}

const client = h.connect;

/** A thread of a records or caucus doc as plain JSON (undefined until it is there). */
function threadIn(doc: Y.Doc, id: string): Thread | undefined {
  const entry = threadsOf(doc).get(id);
  return entry && readThread(entry);
}

/** The anchor of `passage` in the writer's text (the paragraph's text starts at position 1). */
function anchorOf(doc: Y.Doc, passage: string): ThreadAnchor {
  const text = paragraphText(doc).toString();
  const at = text.indexOf(passage);
  if (at < 0) throw new Error(`"${passage}" is not in "${text}"`);
  return anchorAt(contentFragment(doc), 1 + at, 1 + at + passage.length);
}

/** Everything the server holds in a server-owned room, to check that a refused command wrote nothing. */
async function roomState(c: Cast, room: string): Promise<unknown> {
  return c.s.app.ctx.rooms.with(room, (r) => ({
    threads: r.doc.getMap(RecordsKey.threads).toJSON(),
    activity: r.doc.getArray(RecordsKey.activity).toJSON(),
  }));
}

async function startThread(c: Cast, token: string, passage: string, body = 'Which river section?'): Promise<Thread> {
  const res = await api<{ thread: Thread }>(c.s, 'POST', `/api/agreements/${c.id}/threads`, { anchor: anchorOf(c.writer.doc, passage), body }, token);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.thread;
}

async function list(c: Cast, token: string, caucus = false): Promise<ThreadListing[]> {
  const res = await api<{ threads: ThreadListing[] }>(c.s, 'GET', `/api/agreements/${c.id}/threads${caucus ? '?caucus=1' : ''}`, undefined, token);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.threads;
}

describe('comment threads through the real server', () => {
  it('a negotiator starts a thread on a passage; everyone in the records room sees it live', async () => {
    const c = await cast();
    const watcher = client(c.s, recordsRoom(c.id), c.business);
    await synced(watcher);

    const thread = await startThread(c, c.ngo, 'restore the Nzoia river', 'Which section of the river?');
    expect(thread).toMatchObject({
      quote: 'restore the Nzoia river',
      resolved: false,
      createdBy: { name: 'Nia Otieno', role: 'negotiator', party: c.f.ngoId },
      comments: [{ body: 'Which section of the river?', author: { name: 'Nia Otieno' } }],
    });
    expect(thread.caucus).toBeUndefined();

    const seen = await waitFor(() => threadIn(watcher.doc, thread.id), { what: 'thread arrives live' });
    expect(seen).toEqual(thread);
    const activity = watcher.doc.getArray<ActivityEntry>(RecordsKey.activity).toArray();
    expect(activity.at(-1)).toMatchObject({ kind: 'thread.created', by: { name: 'Nia Otieno' } });

    const [listed] = await list(c, c.observer);
    expect(listed).toMatchObject({ id: thread.id, detached: false, currentQuote: 'restore the Nzoia river' });
  });

  it('lets negotiators, brokers and legal reviewers write threads, and observers only read them', async () => {
    const c = await cast();
    // The legal reviewer cannot edit the text but comments on it like anyone else.
    const legal = await startThread(c, c.legal, 'Funding comes from both sides', 'Define "both sides".');
    expect(legal.createdBy).toMatchObject({ role: 'legal', name: 'Lena Vogt' });
    const broker = await startThread(c, c.f.brokerToken, 'The parties agree');
    expect(broker.createdBy.role).toBe('broker');

    const before = await roomState(c, recordsRoom(c.id));
    const path = `/api/agreements/${c.id}/threads`;
    const attempts = [
      api(c.s, 'POST', path, { anchor: anchorOf(c.writer.doc, 'restore'), body: 'I only watch.' }, c.observer),
      api(c.s, 'POST', `${path}/${legal.id}/comments`, { body: 'Me too.' }, c.observer),
      api(c.s, 'POST', `${path}/${legal.id}/resolve`, {}, c.observer),
      api(c.s, 'POST', `${path}/${legal.id}/comments`, { body: 'Me too.' }),
    ];
    const results = await Promise.all(attempts);
    expect(results.map((r) => r.status)).toEqual([403, 403, 403, 401]);
    for (const r of results) expect(r.body).toEqual({ error: expect.any(String), code: expect.any(String) });
    expect(await roomState(c, recordsRoom(c.id))).toEqual(before);

    // Observers still read everything.
    expect((await list(c, c.observer)).map((t) => t.id).sort()).toEqual([legal.id, broker.id].sort());
  });

  it('replies, edits and deletes: each person changes only their own comments', async () => {
    const c = await cast();
    const thread = await startThread(c, c.ngo, 'restore the Nzoia river');
    const base = `/api/agreements/${c.id}/threads/${thread.id}/comments`;

    const reply = await api<{ thread: Thread; comment: ThreadComment }>(c.s, 'POST', base, { body: '  The lower basin.  ' }, c.business);
    expect(reply.status).toBe(201);
    expect(reply.body.comment).toMatchObject({ body: 'The lower basin.', author: { name: 'Ben Kamau', party: c.f.businessId } });
    expect(reply.body.thread.comments.map((x) => x.body)).toEqual(['Which river section?', 'The lower basin.']);
    const replyId = reply.body.comment.id;
    const firstId = thread.comments[0].id;

    // Someone else's comment: neither the other party, nor a colleague, nor the broker may touch it.
    const before = await roomState(c, recordsRoom(c.id));
    for (const token of [c.ngo, c.ngo2, c.f.brokerToken, c.legal]) {
      const edit = await api(c.s, 'PATCH', `${base}/${replyId}`, { body: 'Forged words.' }, token);
      expect(edit.status).toBe(403);
      expect(edit.body).toEqual({ error: 'only its author can edit a comment', code: 'not_author' });
      expect((await api(c.s, 'DELETE', `${base}/${replyId}`, undefined, token)).status).toBe(403);
    }
    expect(await roomState(c, recordsRoom(c.id))).toEqual(before);

    const edited = await api<{ thread: Thread; comment: ThreadComment }>(
      c.s,
      'PATCH',
      `${base}/${replyId}`,
      { body: 'The lower basin, below Webuye.' },
      c.business,
    );
    expect(edited.status).toBe(200);
    expect(edited.body.comment).toMatchObject({ body: 'The lower basin, below Webuye.', editedAt: expect.any(String) });

    const deleted = await api<{ thread: Thread | null }>(c.s, 'DELETE', `${base}/${firstId}`, undefined, c.ngo);
    expect(deleted.status).toBe(200);
    expect(deleted.body.thread?.comments[0]).toMatchObject({ id: firstId, deleted: true, body: '' });
    expect(deleted.body.thread?.comments[1].body).toBe('The lower basin, below Webuye.');
    // A deleted comment is gone: it can be neither edited nor deleted again.
    expect((await api(c.s, 'PATCH', `${base}/${firstId}`, { body: 'Back.' }, c.ngo)).status).toBe(404);
    expect((await api(c.s, 'DELETE', `${base}/${firstId}`, undefined, c.ngo)).status).toBe(404);

    // Once every comment is deleted the thread goes with them.
    const last = await api<{ thread: Thread | null }>(c.s, 'DELETE', `${base}/${replyId}`, undefined, c.business);
    expect(last.body.thread).toBeNull();
    expect(await list(c, c.ngo)).toEqual([]);
  });

  // On a flaky network a comment can reach the server while its answer is lost; the person sends it
  // again. A comment sent with an id of the client's choosing is made once, whoever asks how often.
  it('makes a thread or reply sent again with the same id once, answering the one made; another person cannot take the id', async () => {
    const c = await cast();
    const path = `/api/agreements/${c.id}/threads`;
    const request = { id: 'draft-0001abcd', anchor: anchorOf(c.writer.doc, 'restore the Nzoia river'), body: 'Which section?' };
    const first = await api<{ thread: Thread }>(c.s, 'POST', path, request, c.ngo);
    const again = await api<{ thread: Thread }>(c.s, 'POST', path, request, c.ngo);
    expect(first.status).toBe(201);
    expect(again).toMatchObject({ status: 201, body: { thread: { id: 'draft-0001abcd' } } });
    expect((await list(c, c.ngo)).map((t) => t.id)).toEqual(['draft-0001abcd']);
    expect((await api(c.s, 'POST', path, { ...request, body: 'Mine now?' }, c.business)).status).toBe(409);
    // An id outside the allowed shape is refused with a JSON 400, and nothing is made.
    for (const id of ['short', 'has space 123', 'x'.repeat(65)])
      expect(await api(c.s, 'POST', path, { ...request, id }, c.ngo)).toMatchObject({ status: 400, body: { code: 'invalid_request' } });
    expect(await list(c, c.ngo)).toHaveLength(1);

    const reply = { id: 'reply-0001abcd', body: 'The upper section.' };
    for (let i = 0; i < 2; i++) expect((await api(c.s, 'POST', `${path}/draft-0001abcd/comments`, reply, c.business)).status).toBe(201);
    const [thread] = await list(c, c.ngo);
    expect(thread.comments.map((comment) => comment.body)).toEqual(['Which section?', 'The upper section.']);
    expect((await api(c.s, 'POST', `${path}/draft-0001abcd/comments`, reply, c.ngo)).status).toBe(409);
  });

  it('resolves and reopens a thread, recording who and when; a reply reopens it', async () => {
    const c = await cast();
    const thread = await startThread(c, c.ngo, 'restore the Nzoia river');
    const base = `/api/agreements/${c.id}/threads/${thread.id}`;
    // Another party and the legal reviewer reply; they do not close the NGO's thread.
    for (const outsider of [c.business, c.legal]) {
      const refused = await api<{ error: string }>(c.s, 'POST', `${base}/resolve`, {}, outsider);
      expect(refused.status).toBe(403);
      expect(refused.body.error).toMatch(/author, their party or the broker/);
    }
    // The author's own party answers for the thread together.
    const resolved = await api<{ thread: Thread }>(c.s, 'POST', `${base}/resolve`, {}, c.ngo2);
    expect(resolved.status).toBe(200);
    expect(resolved.body.thread).toMatchObject({ resolved: true, resolvedBy: { name: 'Noor Achieng' }, resolvedAt: expect.any(String) });
    // Resolving twice changes nothing; a body-less command works too.
    expect((await api<{ thread: Thread }>(c.s, 'POST', `${base}/resolve`, undefined, c.ngo)).body.thread.resolvedBy?.name).toBe('Noor Achieng');
    expect((await api(c.s, 'POST', `${base}/reopen`, {}, c.legal)).status).toBe(403);

    const reopened = await api<{ thread: Thread }>(c.s, 'POST', `${base}/reopen`, {}, c.f.brokerToken);
    expect(reopened.body.thread.resolved).toBe(false);
    expect(reopened.body.thread.resolvedBy).toBeUndefined();

    await api(c.s, 'POST', `${base}/resolve`, {}, c.ngo);
    const reply = await api<{ thread: Thread }>(c.s, 'POST', `${base}/comments`, { body: 'Not so fast.' }, c.business);
    expect(reply.body.thread.resolved).toBe(false);
  });

  it('answers bad input with a 4xx and a JSON error, and writes nothing', async () => {
    const c = await cast();
    const thread = await startThread(c, c.ngo, 'restore the Nzoia river');
    const before = await roomState(c, recordsRoom(c.id));
    const threads = `/api/agreements/${c.id}/threads`;
    const good = anchorOf(c.writer.doc, 'Funding');
    // An anchor another document made: well-formed, but its items are not in this text.
    const foreign = new Y.Doc();
    paragraphText(foreign).insert(0, 'Another text entirely.');
    const collapsed = { start: good.start, end: good.start };

    const cases: [string, string, string, unknown, number, RegExp][] = [
      ['unknown thread', 'POST', `${threads}/nope/comments`, { body: 'Hello?' }, 404, /no such thread/],
      ['unknown comment', 'PATCH', `${threads}/${thread.id}/comments/nope`, { body: 'Hello?' }, 404, /no such comment/],
      ['unknown thread to resolve', 'POST', `${threads}/nope/resolve`, {}, 404, /no such thread/],
      ['body over the limit', 'POST', `${threads}/${thread.id}/comments`, { body: 'x'.repeat(5001) }, 400, /invalid request/],
      ['empty body', 'POST', `${threads}/${thread.id}/comments`, { body: '   ' }, 400, /invalid request/],
      ['body of the wrong type', 'POST', threads, { anchor: good, body: 42 }, 400, /invalid request/],
      ['anchor that is not base64', 'POST', threads, { anchor: { start: '%%%', end: good.end }, body: 'Hi' }, 400, /anchor/],
      ['anchor of garbage bytes', 'POST', threads, { anchor: { start: 'AAAA', end: '////' }, body: 'Hi' }, 400, /anchor/],
      ['anchor from another document', 'POST', threads, { anchor: anchorAt(contentFragment(foreign), 1, 8), body: 'Hi' }, 400, /anchor/],
      ['anchor over no text', 'POST', threads, { anchor: collapsed, body: 'Hi' }, 400, /covers no text/],
      ['shared thread without an anchor', 'POST', threads, { body: 'Hi' }, 400, /anchor/],
      ['mention of nobody', 'POST', threads, { anchor: good, body: 'Hi @x', mentions: [{ kind: 'person', id: 'nobody' }] }, 400, /mention/],
      ['mention of an unknown kind', 'POST', threads, { anchor: good, body: 'Hi', mentions: [{ kind: 'robot', id: 'x' }] }, 400, /invalid request/],
      ['malformed JSON', 'POST', threads, '{"body": ', 400, /.+/],
      ['unknown agreement', 'POST', `/api/agreements/nope/threads`, { anchor: good, body: 'Hi' }, 403, /another agreement/],
    ];
    for (const [what, method, path, body, status, error] of cases) {
      const res = await api<{ error: string }>(c.s, method, path, body, c.ngo);
      expect(res.status, what).toBe(status);
      expect(res.body.error, what).toMatch(error);
    }
    expect(await roomState(c, recordsRoom(c.id))).toEqual(before);
  });

  it('validates mentions of people and parties and stores them with their names', async () => {
    const c = await cast();
    const people = await api<{ people: PersonSummary[] }>(c.s, 'GET', `/api/agreements/${c.id}/people`, undefined, c.observer);
    expect(people.status).toBe(200);
    const ben = people.body.people.find((p) => p.name === 'Ben Kamau')!;
    expect(ben).toMatchObject({ id: expect.any(String), name: 'Ben Kamau', role: 'negotiator', party: c.f.businessId, revoked: false });
    // Links and who invited whom are the brokers' business.
    expect(ben).not.toHaveProperty('links');
    expect(ben).not.toHaveProperty('invitedBy');
    expect(people.body.people.map((p) => p.name)).toEqual(['Brook Broker', 'Nia Otieno', 'Noor Achieng', 'Ben Kamau', 'Lena Vogt', 'Olu Observer']);

    const res = await api<{ thread: Thread }>(
      c.s,
      'POST',
      `/api/agreements/${c.id}/threads`,
      {
        anchor: anchorOf(c.writer.doc, 'Funding'),
        body: '@Ben Kamau and @Acme Beverages: how much?',
        mentions: [
          { kind: 'person', id: ben.id },
          { kind: 'party', id: c.f.businessId },
          { kind: 'person', id: ben.id },
        ],
      },
      c.ngo,
    );
    expect(res.status).toBe(201);
    expect(res.body.thread.mentions).toEqual([
      { kind: 'person', id: ben.id, name: 'Ben Kamau' },
      { kind: 'party', id: c.f.businessId, name: 'Acme Beverages' },
    ]);
  });

  it('keeps caucus threads and notes to the members of one party, brokers included', async () => {
    const c = await cast();
    const colleague = client(c.s, caucusRoom(c.id, c.f.ngoId), c.ngo2);
    await synced(colleague);

    // A note about no passage, and a private thread on one.
    const note = await api<{ thread: Thread }>(c.s, 'POST', `/api/agreements/${c.id}/threads`, { body: 'Our floor: 40% of the pumps.', caucus: true }, c.ngo);
    expect(note.status).toBe(201);
    expect(note.body.thread).toMatchObject({ caucus: true, createdBy: { party: c.f.ngoId } });
    expect(note.body.thread.anchor).toBeUndefined();
    const anchored = await api<{ thread: Thread }>(
      c.s,
      'POST',
      `/api/agreements/${c.id}/threads?caucus=1`,
      { anchor: anchorOf(c.writer.doc, 'Funding'), body: 'Push back here.' },
      c.ngo,
    );
    expect(anchored.status).toBe(201);

    await waitFor(() => colleague.doc.getMap(RecordsKey.threads).size === 2, { what: 'colleague sees both caucus threads live' });
    // The colleague answers in the caucus.
    const reply = await api(c.s, 'POST', `/api/agreements/${c.id}/threads/${note.body.thread.id}/comments`, { body: 'Agreed.', caucus: true }, c.ngo2);
    expect(reply.status).toBe(201);

    // Nothing of it is in the shared records, the shared listing or its activity log.
    expect(await list(c, c.business)).toEqual([]);
    const records = (await roomState(c, recordsRoom(c.id))) as { threads: object; activity: ActivityEntry[] };
    expect(records.threads).toEqual({});
    expect(JSON.stringify(records.activity)).not.toMatch(/40%|Push back/);

    // The other party sees its own (empty) caucus, and cannot reach the NGO's by any route.
    expect(await list(c, c.business, true)).toEqual([]);
    const noteId = note.body.thread.id;
    for (const token of [c.business, c.legal, c.f.brokerToken, c.observer]) {
      expect(
        (await api(c.s, 'POST', `/api/agreements/${c.id}/threads/${noteId}/comments`, { body: 'Peek', caucus: true }, token)).status,
      ).toBeGreaterThanOrEqual(403);
      expect((await api(c.s, 'POST', `/api/agreements/${c.id}/threads/${noteId}/resolve?caucus=1`, {}, token)).status).toBeGreaterThanOrEqual(403);
    }
    // People of no party have no caucus at all.
    expect((await api(c.s, 'GET', `/api/agreements/${c.id}/threads?caucus=1`, undefined, c.f.brokerToken)).status).toBe(403);
    expect((await api(c.s, 'POST', `/api/agreements/${c.id}/threads`, { body: 'Mine', caucus: true }, c.legal)).status).toBe(403);
    for (const token of [c.business, c.f.brokerToken, c.legal]) {
      const { closed } = await rawSocket(`${c.s.ws}/${caucusRoom(c.id, c.f.ngoId)}?token=${token}`);
      expect((await closed).code).toBe(CloseCode.Forbidden);
    }

    const ours = await list(c, c.ngo2, true);
    expect(ours.map((t) => t.comments[0].body)).toEqual(['Push back here.', 'Our floor: 40% of the pumps.']);
    expect(ours[1].comments.map((x) => x.body)).toEqual(['Our floor: 40% of the pumps.', 'Agreed.']);
  });

  // A private thread offered no way for the mentioned to read it: the writer believed the other party's
  // Ben was told, and he could never see it. Only the party's own people and the party itself may be mentioned.
  it('refuses a mention in a private thread of anyone who cannot read it: the other party, its people, a broker', async () => {
    const c = await cast();
    const people = await api<{ people: PersonSummary[] }>(c.s, 'GET', `/api/agreements/${c.id}/people`, undefined, c.ngo);
    const id = (name: string) => people.body.people.find((p) => p.name === name)!.id;
    const threads = `/api/agreements/${c.id}/threads`;
    const outsiders = [
      { kind: 'person', id: id('Ben Kamau') },
      { kind: 'party', id: c.f.businessId },
      { kind: 'person', id: id('Brook Broker') },
    ];
    for (const mention of outsiders) {
      const note = await api<{ code: string }>(c.s, 'POST', threads, { body: 'Ask them', caucus: true, mentions: [mention] }, c.ngo);
      expect({ mention, status: note.status, code: note.body.code }).toEqual({ mention, status: 400, code: 'mention_outside_caucus' });
    }
    expect(await list(c, c.ngo, true)).toEqual([]);
    // Their own colleague and their own party are fine, in a note and in a reply.
    const ours = [
      { kind: 'person', id: id('Noor Achieng') },
      { kind: 'party', id: c.f.ngoId },
    ];
    const note = await api<{ thread: Thread }>(c.s, 'POST', threads, { body: 'Noor?', caucus: true, mentions: ours }, c.ngo);
    expect(note.status).toBe(201);
    const reply = `${threads}/${note.body.thread.id}/comments`;
    expect((await api<{ code: string }>(c.s, 'POST', reply, { body: 'Ben?', caucus: true, mentions: [outsiders[0]] }, c.ngo2)).body.code).toBe(
      'mention_outside_caucus',
    );
    expect((await api(c.s, 'POST', reply, { body: 'Yes.', caucus: true, mentions: [ours[0]] }, c.ngo2)).status).toBe(201);
  });

  it('a private note names the party it was written for: sent after its author was moved to another party, it is refused (403 wrong_party), not written in the new party’s caucus', async () => {
    const c = await cast();
    const threads = `/api/agreements/${c.id}/threads`;
    const forNgo = { body: 'Our floor: 40% of the pumps.', caucus: true, party: c.f.ngoId };
    expect((await api(c.s, 'POST', threads, forNgo, c.ngo)).status).toBe(201);

    const people = await api<PeopleResponse>(c.s, 'GET', `/api/agreements/${c.id}/people`, undefined, c.f.brokerToken);
    const niaId = people.body.people.find((p) => p.name === 'Nia Otieno')!.id;
    const moved = await api(c.s, 'PATCH', `/api/agreements/${c.id}/people/${niaId}`, { role: 'negotiator', party: c.f.businessId }, c.f.brokerToken);
    expect(moved.status).toBe(200);
    const refused = await api<{ code: string }>(c.s, 'POST', threads, { ...forNgo, body: 'Our ceiling: 60%.' }, c.ngo);
    expect(refused).toMatchObject({ status: 403, body: { code: 'wrong_party' } });
    expect(await list(c, c.business, true)).toEqual([]);
    // Her new party's own note goes in as before.
    expect((await api(c.s, 'POST', threads, { body: 'For Acme.', caucus: true, party: c.f.businessId }, c.ngo)).status).toBe(201);
  });

  it('drops a forged update to the records room: nobody sees it and nothing is stored', async () => {
    const c = await cast();
    const thread = await startThread(c, c.ngo, 'restore the Nzoia river');
    const forger = client(c.s, recordsRoom(c.id), c.business);
    const witness = client(c.s, recordsRoom(c.id), c.legal);
    await synced(forger);
    await synced(witness);
    await waitFor(() => forger.doc.getMap(RecordsKey.threads).has(thread.id), { what: 'forger has the thread' });

    // Rewrite the NGO's comment, resolve the thread and plant a fake one, all in the forger's doc.
    const map = threadsOf(forger.doc);
    const held = map.get(thread.id) as StoredThread;
    const fake = structuredClone(readThread(held));
    fake.comments[0].body = 'We withdraw from the partnership.';
    fake.resolved = true;
    forger.doc.transact(() => {
      storedComments(held).delete(0, 1);
      storedComments(held).insert(0, [fake.comments[0]]);
      held.set('resolved', true);
      map.set('planted', toStoredThread({ ...fake, id: 'planted' }));
    });

    const room = await c.s.app.ctx.rooms.acquire(recordsRoom(c.id));
    try {
      await waitFor(() => room.droppedUpdates >= 1, { what: 'forged update dropped' });
      expect(threadIn(room.doc, thread.id)).toEqual(thread);
      expect(room.doc.getMap(RecordsKey.threads).has('planted')).toBe(false);
    } finally {
      c.s.app.ctx.rooms.release(room);
    }
    // A later real change reaches the witness; the forgery never does.
    await api(c.s, 'POST', `/api/agreements/${c.id}/threads/${thread.id}/comments`, { body: 'Real reply.' }, c.legal);
    await waitFor(() => threadIn(witness.doc, thread.id)?.comments.length === 2, { what: 'real reply arrives' });
    expect(threadIn(witness.doc, thread.id)?.comments[0].body).toBe('Which river section?');
    expect(witness.doc.getMap(RecordsKey.threads).has('planted')).toBe(false);
    const [listed] = await list(c, c.ngo);
    expect(listed.resolved).toBe(false);

    await c.s.app.ctx.storage.flush();
    const stored = new Y.Doc();
    for (const u of await c.s.app.ctx.storage.loadRoom(recordsRoom(c.id))) Y.applyUpdate(stored, u);
    expect(JSON.stringify(stored.getMap(RecordsKey.threads).toJSON())).not.toMatch(/withdraw|planted/);
  });

  it('keeps anchors on their passage through concurrent edits around and inside it', async () => {
    const c = await cast();
    const thread = await startThread(c, c.ngo, 'restore the Nzoia river');
    const other = client(c.s, c.id, c.business);
    await synced(other);
    await waitFor(() => paragraphText(other.doc).toString() === TEXT, { what: 'business has the text' });

    // Both edit while apart, then meet again through the server.
    c.writer.provider.disconnect();
    other.provider.disconnect();
    const mine = paragraphText(c.writer.doc);
    const theirs = paragraphText(other.doc);
    mine.insert(0, 'Preamble. ');
    mine.insert(mine.toString().indexOf('Nzoia'), 'upper ');
    theirs.insert(theirs.toString().indexOf(' river') + ' river'.length, ' basin');
    theirs.insert(theirs.toString().indexOf('restore'), 'jointly ');
    theirs.insert(theirs.length, ' Signed in Kisumu.');
    c.writer.provider.connect();
    other.provider.connect();
    await waitFor(async () => (await list(c, c.legal))[0]?.currentQuote === 'restore the upper Nzoia river', {
      what: 'the listing follows the passage',
      timeoutMs: 10_000,
    });
    const [listed] = await list(c, c.legal);
    expect(listed).toMatchObject({ id: thread.id, detached: false, quote: 'restore the Nzoia river' });
    expect(paragraphText(other.doc).toString()).toBe(
      'Preamble. The parties agree to jointly restore the upper Nzoia river basin. Funding comes from both sides. Signed in Kisumu.',
    );
  });

  it('reports a thread whose passage was deleted as detached, keeping the text it was started on', async () => {
    const c = await cast();
    const gone = await startThread(c, c.ngo, 'restore the Nzoia river');
    const kept = await startThread(c, c.business, 'Funding comes');
    const text = paragraphText(c.writer.doc);
    text.delete(text.toString().indexOf('restore'), 'restore the Nzoia river'.length);
    text.insert(text.toString().indexOf('.'), 'clean the lake');
    await waitFor(async () => (await list(c, c.ngo)).some((t) => t.detached), { what: 'detached reported' });
    const threads = await list(c, c.ngo);
    // Attached threads first in text order, detached ones after.
    expect(threads.map((t) => [t.id, t.detached, t.quote, t.currentQuote])).toEqual([
      [kept.id, false, 'Funding comes', 'Funding comes'],
      [gone.id, true, 'restore the Nzoia river', ''],
    ]);
  });

  it('brings a thread back when the deletion of its passage is undone, and follows its passage cut and pasted elsewhere', async () => {
    const c = await cast();
    const passage = 'restore the Nzoia river';
    const thread = await startThread(c, c.ngo, passage);
    const shared = async () => (await list(c, c.legal)).find((t) => t.id === thread.id)!;
    // A private thread on the same words: it comes back in its caucus, and nothing of it shows in the records room.
    const privateOne = await api<{ thread: Thread }>(
      c.s,
      'POST',
      `/api/agreements/${c.id}/threads`,
      { anchor: anchorOf(c.writer.doc, passage), body: 'Hold firm.', caucus: true },
      c.ngo,
    );
    expect(privateOne.status).toBe(201);
    const inCaucus = async () => (await list(c, c.ngo2, true)).find((t) => t.id === privateOne.body.thread.id)!;
    // The paragraph's text as it is now (undoing a paragraph's deletion brings a new one).
    const text = () => paragraphText(c.writer.doc);
    const cut = () => text().delete(text().toString().indexOf(passage), passage.length);
    // The editor's undo (y-prosemirror's) is a Y.UndoManager: undoing a deletion inserts the words anew.
    const undo = new Y.UndoManager(contentFragment(c.writer.doc), { captureTimeout: 0 });
    cut();
    await waitFor(async () => (await shared()).detached, { what: 'detached once deleted' });
    undo.undo();
    expect(text().toString()).toBe(TEXT);
    await waitFor(async () => !(await shared()).detached, { what: 'the thread back on its words after the undo' });
    expect(await shared()).toMatchObject({ detached: false, currentQuote: passage });
    await waitFor(async () => !(await inCaucus()).detached, { what: 'the private thread back too' });
    expect(JSON.stringify(await roomState(c, recordsRoom(c.id)))).not.toMatch(/Hold firm|caucus/);

    // So is the undo of a whole paragraph's deletion.
    const fragment = contentFragment(c.writer.doc);
    fragment.delete(0, fragment.length);
    await waitFor(async () => (await shared()).detached, { what: 'detached with its paragraph' });
    undo.undo();
    expect(text().toString()).toBe(TEXT);
    await waitFor(async () => !(await shared()).detached, { what: 'the thread back with its paragraph' });
    expect(await shared()).toMatchObject({ detached: false, currentQuote: passage });

    // Cut, then pasted at the end of the paragraph: two changes, the second far from where the words were.
    cut();
    await waitFor(async () => (await shared()).detached, { what: 'detached once cut' });
    text().insert(text().length, ` And ${passage}`);
    await waitFor(async () => !(await shared()).detached, { what: 'the thread follows its words pasted elsewhere' });
    expect(await shared()).toMatchObject({ detached: false, currentQuote: passage });

    // The same words typed again letter by letter are not the ones the thread was on: it stays detached.
    cut();
    await waitFor(async () => (await shared()).detached, { what: 'detached once deleted again' });
    for (const letter of passage) text().insert(text().length, letter);
    await waitFor(() => c.s.app.ctx.rooms.with(c.id, (r) => contentFragment(r.doc).toString().includes(`${passage}</paragraph>`)), {
      what: 'the words typed again on the server',
    });
    expect(await shared()).toMatchObject({ detached: true });
  });

  it('keeps a thread on its passage when the editor rewrites the paragraph (split, then list)', async () => {
    const c = await cast();
    const thread = await startThread(c, c.ngo, 'restore the Nzoia river');
    const caucus = await api<{ thread: Thread }>(
      c.s,
      'POST',
      `/api/agreements/${c.id}/threads`,
      { anchor: anchorOf(c.writer.doc, 'Funding comes'), body: 'Ours.', caucus: true },
      c.ngo,
    );
    const watcher = client(c.s, recordsRoom(c.id), c.legal);
    await synced(watcher);
    const shared = async () => (await list(c, c.ngo)).find((t) => t.id === thread.id)!;

    // What the editor binding does on Enter before the passage: the paragraph's tail is deleted and inserted anew.
    const schema = documentSchema();
    const p = (text: string) => ({ type: 'paragraph', content: [{ type: 'text', text }] });
    const rewrite = (json: object) =>
      updateYFragment(c.writer.doc, contentFragment(c.writer.doc), schema.nodeFromJSON(json), { mapping: new Map(), isOMark: new Map() });
    const head = 'The parties agree to';
    rewrite({ type: 'doc', content: [p(head), p(TEXT.slice(head.length))] });
    expect(contentFragment(c.writer.doc).length).toBe(2);
    await waitFor(async () => (await shared()).anchor?.start !== thread.anchor?.start, { what: 'anchor repaired' });
    const repaired = await shared();
    expect(repaired).toMatchObject({ detached: false, currentQuote: 'restore the Nzoia river', quote: 'restore the Nzoia river' });
    const [privateOne] = await list(c, c.ngo, true);
    expect(privateOne).toMatchObject({ id: caucus.body.thread.id, detached: false, currentQuote: 'Funding comes' });
    // Everyone following the records room gets the repaired anchor live.
    await waitFor(() => threadIn(watcher.doc, thread.id)?.anchor?.start === repaired.anchor?.start, {
      what: 'repair arrives live',
    });

    // Joined again and put in a list: the binding rewrites it once more.
    rewrite({ type: 'doc', content: [{ type: 'bulletList', content: [{ type: 'listItem', content: [p(TEXT)] }] }] });
    await waitFor(async () => (await shared()).anchor?.start !== repaired.anchor?.start, { what: 'anchor repaired again' });
    expect(await shared()).toMatchObject({ detached: false, currentQuote: 'restore the Nzoia river' });

    // Deleting the passage for real still detaches it.
    const list1 = contentFragment(c.writer.doc).get(0) as Y.XmlElement;
    const line = ((list1.get(0) as Y.XmlElement).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    line.delete(line.toString().indexOf('restore'), 'restore the Nzoia river'.length);
    await waitFor(async () => (await shared()).detached, { what: 'detached after a real deletion' });
  });

  it('keeps threads through a restart and shows them to someone who joins later', async () => {
    const first = await h.start();
    const c = await cast(first);
    const thread = await startThread(c, c.ngo, 'restore the Nzoia river');
    await api(c.s, 'POST', `/api/agreements/${c.id}/threads/${thread.id}/comments`, { body: 'Reply before the restart.' }, c.legal);
    const note = await api<{ thread: Thread }>(c.s, 'POST', `/api/agreements/${c.id}/threads`, { body: 'Private note.', caucus: true }, c.ngo);
    h.destroyClients();
    await first.close();

    const second = await h.start({ dataDir: first.dataDir });
    const late = client(second, recordsRoom(c.id), await inviteOn(second, c, { role: 'observer', name: 'Late Larry' }));
    await synced(late);
    const stored = await waitFor(() => threadIn(late.doc, thread.id), { what: 'thread after restart' });
    expect(stored?.comments.map((x) => x.body)).toEqual(['Which river section?', 'Reply before the restart.']);
    const caucus = client(second, caucusRoom(c.id, c.f.ngoId), c.ngo2);
    await synced(caucus);
    await waitFor(() => caucus.doc.getMap(RecordsKey.threads).has(note.body.thread.id), { what: 'caucus note after restart' });
    const res = await api<{ threads: ThreadListing[] }>(second, 'GET', `/api/agreements/${c.id}/threads`, undefined, c.legal);
    expect(res.body.threads[0]).toMatchObject({ id: thread.id, detached: false, currentQuote: 'restore the Nzoia river' });
  });
});

async function inviteOn(s: TestServer, c: Cast, request: { role: 'observer'; name: string }): Promise<string> {
  const res = await api<{ token: string }>(s, 'POST', `/api/agreements/${c.id}/invites`, request, c.f.brokerToken);
  return res.body.token;
}
