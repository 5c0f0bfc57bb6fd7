import MarkdownIt from 'markdown-it';
import { Writable } from 'node:stream';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import type { InviteResponse } from '#shared/protocol';
import type { Thread } from '#shared/threads';
import { contentRoom, recordsRoom } from '#shared/rooms';
import { useHarness } from '../support/harness';
import { api, createAgreement } from '../support/server';
import { rawSocket, synced } from '../support/clients';
import { waitFor } from '../support/poll';
import { storeText } from '../support/stored';
import { longAgreement } from '../support/document';
import { readConfig } from '../../server/src/config';
import { DEFAULT_HTTP_RATE_LIMITS } from '../../server/src/http/security';

const h = useHarness();
const DIST = resolve(import.meta.dirname, '../../dist');

function expectSecurityHeaders(headers: Headers): void {
  const csp = headers.get('content-security-policy') ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(headers.get('x-content-type-options')).toBe('nosniff');
  expect(headers.get('referrer-policy')).toBe('no-referrer');
  expect(headers.get('x-frame-options')).toBe('DENY');
}

it('sends security headers on the app, the API and the exports, and keeps API answers out of caches', async () => {
  const s = await h.start(existsSync(resolve(DIST, 'index.html')) ? { staticDir: DIST } : {});
  const f = await createAgreement(s);
  const answers = [
    await fetch(`${s.http}/`),
    await fetch(`${s.http}/api/health`),
    await fetch(`${s.http}/api/agreements/${f.agreement.id}`, { headers: { authorization: `Bearer ${f.brokerToken}` } }),
    await fetch(`${s.http}/api/nothing-here`),
  ];
  for (const format of ['md', 'html', 'docx']) {
    answers.push(
      await fetch(`${s.http}/api/agreements/${f.agreement.id}/snapshots/live/export?format=${format}`, {
        headers: { authorization: `Bearer ${f.brokerToken}` },
      }),
    );
  }
  for (const answer of answers) expectSecurityHeaders(answer.headers);
  for (const answer of answers.slice(1)) expect(answer.headers.get('cache-control')).toBe('no-store');
  expect(answers.slice(4).map((a) => a.status)).toEqual([200, 200, 200]);
});

it('answers 429 with Retry-After over the limits on creating, inviting and commenting', async () => {
  const s = await h.start({ httpRateLimits: { ...DEFAULT_HTTP_RATE_LIMITS, createPerMinute: 2, invitesPerMinute: 2, commentsPerMinute: 2 } });
  const first = await createAgreement(s);
  await createAgreement(s);
  const over = await fetch(`${s.http}/api/agreements`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'One too many' }),
  });
  expect(over.status).toBe(429);
  expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(await over.json()).toEqual({ error: expect.stringMatching(/too many requests/), code: 'rate_limited' });

  const invites = `/api/agreements/${first.agreement.id}/invites`;
  const statuses = [];
  for (let i = 0; i < 3; i++) statuses.push((await api(s, 'POST', invites, { role: 'observer', name: `O${i}` }, first.brokerToken)).status);
  expect(statuses).toEqual([201, 201, 429]);

  const threads = `/api/agreements/${first.agreement.id}/threads`;
  const notes = [];
  for (let i = 0; i < 3; i++) notes.push((await api<{ thread: Thread }>(s, 'POST', threads, { body: `note ${i}`, caucus: true }, first.brokerToken)).status);
  // The broker has no caucus (403) but still spends their budget.
  expect(notes).toEqual([403, 403, 429]);
});

// A limit names what it bounds (comments per person, whole texts kept per person): spread over the
// routes that make those, it must count them together, not once per route.
it('counts one person’s threads, replies and edits together, and their snapshots, restores, session ends and phase changes together', async () => {
  const s = await h.start({ httpRateLimits: { ...DEFAULT_HTTP_RATE_LIMITS, commentsPerMinute: 4, snapshotsPerMinute: 3 } });
  const f = await createAgreement(s);
  const id = f.agreement.id;
  const nia = await f.invite({ role: 'negotiator', name: 'Nia', party: f.ngoId });
  const ben = await f.invite({ role: 'negotiator', name: 'Ben', party: f.businessId });
  const threads = `/api/agreements/${id}/threads`;
  const started = await api<{ thread: Thread }>(s, 'POST', threads, { body: 'first', caucus: true }, nia);
  expect(started.status).toBe(201);
  const thread = started.body.thread;
  const statuses = [
    (await api(s, 'POST', threads, { body: 'second', caucus: true }, nia)).status,
    (await api(s, 'POST', `${threads}/${thread.id}/comments`, { body: 'a reply', caucus: true }, nia)).status,
    (await api(s, 'PATCH', `${threads}/${thread.id}/comments/${thread.comments[0].id}`, { body: 'first, edited', caucus: true }, nia)).status,
    (await api(s, 'POST', `${threads}/${thread.id}/comments`, { body: 'one too many', caucus: true }, nia)).status,
    (await api(s, 'POST', threads, { body: 'one too many', caucus: true }, nia)).status,
  ];
  expect(statuses).toEqual([201, 201, 200, 429, 429]);
  // Another person has their own budget.
  expect((await api(s, 'POST', threads, { body: 'from the other side', caucus: true }, ben)).status).toBe(201);

  const kept = [
    (await api(s, 'POST', `/api/agreements/${id}/snapshots`, { label: 'One' }, f.brokerToken)).status,
    (await api(s, 'POST', `/api/agreements/${id}/phase`, { phase: 'managing' }, f.brokerToken)).status,
    (await api(s, 'POST', `/api/agreements/${id}/snapshots`, { label: 'Two' }, f.brokerToken)).status,
    (await api(s, 'POST', `/api/agreements/${id}/phase`, { phase: 'reviewing' }, f.brokerToken)).status,
    (await api(s, 'POST', `/api/agreements/${id}/snapshots`, { label: 'Three' }, f.brokerToken)).status,
  ];
  expect(kept).toEqual([201, 200, 201, 429, 429]);
  expect((await api(s, 'POST', `/api/agreements/${id}/snapshots`, { label: 'Nia’s' }, nia)).status).toBe(201);
});

// Every download of an export is written to the audit log, kept for good and read whole: with only
// 4 waiting jobs a person bounding them, one person's loop of small downloads added an entry a few
// times a second, for as long as it ran.
it('counts one person’s downloads of exports and redlines together, each kept in the audit log, and limits them per minute', async () => {
  const s = await h.start({ httpRateLimits: { ...DEFAULT_HTTP_RATE_LIMITS, downloadsPerMinute: 3 } });
  const f = await createAgreement(s);
  const id = f.agreement.id;
  const nia = await f.invite({ role: 'negotiator', name: 'Nia', party: f.ngoId });
  const ben = await f.invite({ role: 'negotiator', name: 'Ben', party: f.businessId });
  const snapshot = await api<{ id: string }>(s, 'POST', `/api/agreements/${id}/snapshots`, { label: 'Draft' }, f.brokerToken);
  expect(snapshot.status).toBe(201);
  const download = (token: string, path: string) => fetch(`${s.http}/api/agreements/${id}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const statuses = [];
  for (const path of [
    `/snapshots/${snapshot.body.id}/export?format=md`,
    '/redline',
    `/snapshots/live/export?format=html`,
    `/snapshots/${snapshot.body.id}/export?format=md`,
  ]) {
    const answer = await download(nia, path);
    await answer.arrayBuffer();
    statuses.push(answer.status);
  }
  expect(statuses).toEqual([200, 200, 200, 429]);
  // Another person has their own budget.
  expect((await download(ben, `/snapshots/${snapshot.body.id}/export?format=md`)).status).toBe(200);
  expect(readConfig({ RATE_LIMIT_DOWNLOADS_PER_MINUTE: '7' }, 'dist').httpRateLimits?.downloadsPerMinute).toBe(7);
});

it('lets an operator set or lift the limit on creating agreements (RATE_LIMIT_CREATES_PER_MINUTE; 0 lifts it)', async () => {
  expect(readConfig({ RATE_LIMIT_CREATES_PER_MINUTE: '5' }, 'dist').httpRateLimits).toEqual({ ...DEFAULT_HTTP_RATE_LIMITS, createPerMinute: 5 });
  expect(readConfig({}, 'dist').httpRateLimits).toEqual(DEFAULT_HTTP_RATE_LIMITS);
  expect(() => readConfig({ RATE_LIMIT_CREATES_PER_MINUTE: 'many' }, 'dist')).toThrow(/RATE_LIMIT_CREATES_PER_MINUTE/);
  const s = await h.start({ httpRateLimits: { ...DEFAULT_HTTP_RATE_LIMITS, createPerMinute: 0, invitesPerMinute: 2, commentsPerMinute: 2 } });
  const statuses = [];
  for (let i = 0; i < DEFAULT_HTTP_RATE_LIMITS.createPerMinute + 5; i++)
    statuses.push((await api(s, 'POST', '/api/agreements', { title: `Load test ${i}` })).status);
  expect(statuses.every((status) => status === 201)).toBe(true);
});

it('refuses titles, names, labels and comments that hold lone surrogates, control characters or bidirectional overrides', async () => {
  const s = await h.start();
  const create = (body: unknown) => api<{ error: string }>(s, 'POST', '/api/agreements', body);
  const loneSurrogate = await create({ title: 'River \uD800 Partnership' });
  expect(loneSurrogate.status).toBe(400);
  expect(loneSurrogate.body.error).toMatch(/title/);
  expect((await create({ title: 'Bell\u0007' })).status).toBe(400);
  expect((await create({ title: 'Fine', parties: [{ name: 'Acme \u202Eegarevb', sector: 'business' }] })).status).toBe(400);
  expect((await create({ title: 'Fine', creatorName: 'Brook\u2066' })).status).toBe(400);
  expect((await create({ title: 'Ça va 🌊 — אגם' })).status).toBe(201);

  const f = await createAgreement(s);
  const id = f.agreement.id;
  expect((await api(s, 'POST', `/api/agreements/${id}/invites`, { role: 'observer', name: 'Olu\nObserver' }, f.brokerToken)).status).toBe(400);
  expect((await api(s, 'POST', `/api/agreements/${id}/snapshots`, { label: 'Draft \uDC00' }, f.brokerToken)).status).toBe(400);
  const nia = await f.invite({ role: 'negotiator', name: 'Nia', party: f.ngoId });
  const threads = `/api/agreements/${id}/threads`;
  expect((await api(s, 'POST', threads, { body: 'broken \uD83D', caucus: true }, nia)).status).toBe(400);
  expect((await api(s, 'POST', threads, { body: 'two\nlines\tare fine', caucus: true }, nia)).status).toBe(201);
});

it('refuses the same in a party’s reason for its stance and in a phase change’s reason, which land in snapshots and exports', async () => {
  // A NUL in a stance's reason was stored, and on PostgreSQL every later snapshot (whose context
  // holds the stances) then failed with a 500 for everyone.
  const s = await h.start();
  const f = await createAgreement(s);
  const id = f.agreement.id;
  await storeText(s, contentRoom(id), longAgreement(1, { objectiveEvery: 1 }));
  const nia = await f.invite({ role: 'negotiator', name: 'Nia', party: f.ngoId });
  const stance = (reason: string) => api<{ code?: string }>(s, 'PUT', `/api/agreements/${id}/objectives/o0/stance`, { stance: 'object', reason }, nia);
  for (const reason of ['no\u0000', 'ring \u0007', 'esc \u001b[2J', 'c1 \u0085', 'lone \uD800', 'looks \u202Ereversed', 'isolate \u2066']) {
    const refused = await stance(reason);
    expect(refused.status, JSON.stringify(reason)).toBe(400);
    expect(refused.body.code).toBe('invalid_request');
  }
  expect((await stance('Two reasons:\n- cost\n- timing')).status).toBe(200);
  const phase = (reason: string) => api(s, 'POST', `/api/agreements/${id}/phase`, { phase: 'managing', reason }, f.brokerToken);
  expect((await phase('NGO\u202E agreed')).status).toBe(400);
  expect((await phase('agreed \u0000')).status).toBe(400);
  expect((await phase('Both parties agreed.\nSee the minutes.')).status).toBe(200);
  // The snapshot holding the stance is taken.
  expect((await api(s, 'POST', `/api/agreements/${id}/snapshots`, { label: 'After the stances' }, f.brokerToken)).status).toBe(201);
});

// A limit bounds what one person may do: counted by who they are once their token is checked, not
// by how the header is written (a space more was a new budget), and never by requests without a
// valid token (anyone who knew an agreement's id could use up its broker's invitations).
it('counts a person’s limits by who they are, not by how their token is written, and spends no budget for requests without a valid token', async () => {
  const s = await h.start({ httpRateLimits: { ...DEFAULT_HTTP_RATE_LIMITS, invitesPerMinute: 2, snapshotsPerMinute: 2 } });
  const f = await createAgreement(s);
  const id = f.agreement.id;
  const spaced = (n: number) => ({ authorization: `Bearer${' '.repeat(n)}${f.brokerToken}`, 'content-type': 'application/json' });
  const snapshots = [];
  for (let i = 1; i <= 3; i++) {
    const answer = await fetch(`${s.http}/api/agreements/${id}/snapshots`, {
      method: 'POST',
      headers: spaced(i),
      body: JSON.stringify({ label: `Take ${i}` }),
    });
    snapshots.push(answer.status);
  }
  expect(snapshots).toEqual([201, 201, 429]);

  const invites = `/api/agreements/${id}/invites`;
  const strangers = [];
  for (let i = 0; i < 5; i++) strangers.push((await api(s, 'POST', invites, { role: 'observer', name: `X${i}` })).status);
  for (let i = 0; i < 3; i++) strangers.push((await api(s, 'POST', invites, { role: 'observer', name: `Y${i}` }, 'not-a-token')).status);
  expect(strangers).toEqual(Array(8).fill(401));
  expect((await api(s, 'POST', invites, { role: 'observer', name: 'Olu' }, f.brokerToken)).status).toBe(201);
});

// Fastify answered HEAD on every GET route by running it: an export ran and was written to the
// audit log as a download, outside the download limit (which counted GETs).
it('answers HEAD on the API with a 404 and runs nothing: no export, no audit entry, no budget spent', async () => {
  const s = await h.start({ httpRateLimits: { ...DEFAULT_HTTP_RATE_LIMITS, downloadsPerMinute: 2 } });
  const f = await createAgreement(s);
  const id = f.agreement.id;
  const nia = await f.invite({ role: 'negotiator', name: 'Nia', party: f.ngoId });
  const live = `${s.http}/api/agreements/${id}/snapshots/live/export?format=docx`;
  const auth = { authorization: `Bearer ${nia}` };
  for (let i = 0; i < 3; i++) expect((await fetch(live, { method: 'HEAD', headers: auth })).status).toBe(404);
  const downloads = [];
  for (let i = 0; i < 3; i++) {
    const answer = await fetch(live, { headers: auth });
    await answer.arrayBuffer();
    downloads.push(answer.status);
  }
  expect(downloads).toEqual([200, 200, 429]);
  const audit = await api<{ entries: { kind: string }[] }>(s, 'GET', `/api/agreements/${id}/audit`, undefined, f.brokerToken);
  expect(audit.body.entries.filter((e) => e.kind === 'export.downloaded')).toHaveLength(2);
  expect((await fetch(`${s.http}/api/health`)).status).toBe(200);
});

// Fastify's and Node's own refusals (a broken address, a part of it too long, headers too large)
// answered in their own shapes, without the `code` programs check.
it('answers a malformed address, an over-long part of it and oversized headers with the JSON error contract', async () => {
  const s = await h.start();
  const f = await createAgreement(s);
  const expectContract = async (answer: Response, status: number) => {
    expect(answer.status).toBe(status);
    expect(answer.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await answer.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['code', 'error']);
    expect(body).toEqual({ error: expect.any(String), code: 'bad_request' });
  };
  await expectContract(await fetch(`${s.http}/api/agreements/%ZZ`), 400);
  await expectContract(await fetch(`${s.http}/api/agreements/%ED%A0%80`), 400);
  await expectContract(await fetch(`${s.http}/api/agreements/${'a'.repeat(300)}`), 414);
  await expectContract(await fetch(`${s.http}/api/health`, { headers: { authorization: `Bearer ${'x'.repeat(100_000)}` } }), 431);
  // The server goes on.
  expect((await api(s, 'GET', `/api/agreements/${f.agreement.id}`, undefined, f.brokerToken)).status).toBe(200);
});

it('exports links only to http, https and mailto targets', async () => {
  const s = await h.start();
  const f = await createAgreement(s);
  const id = f.agreement.id;
  const writer = h.connect(s, id, f.brokerToken);
  await synced(writer);
  // What a modified client can write straight into the text: any href at all.
  writer.doc.transact(() => {
    const paragraph = new Y.XmlElement('paragraph');
    const text = new Y.XmlText();
    paragraph.insert(0, [text]);
    writer.doc.getXmlFragment('content').insert(0, [paragraph]);
    text.insert(0, 'Click me', { link: { href: 'javascript:alert(document.cookie)' } });
    text.insert(text.length, ' or ', { link: null });
    text.insert(text.length, 'tab trick', { link: { href: 'java\tscript:alert(1)' } });
    text.insert(text.length, ' or ', { link: null });
    text.insert(text.length, 'our site', { link: { href: 'https://example.org/a b(c)' } });
    text.insert(text.length, ' or ', { link: null });
    text.insert(text.length, 'mail us', { link: { href: 'mailto:team@example.org' } });
  });
  await waitFor(() => s.app.ctx.rooms.with(id, (r) => r.doc.getXmlFragment('content').toString().includes('mail us')), { what: 'text on the server' });

  const download = async (format: string) =>
    (await fetch(`${s.http}/api/agreements/${id}/snapshots/live/export?format=${format}`, { headers: { authorization: `Bearer ${f.brokerToken}` } })).text();
  const html = await download('html');
  expect(html).toContain('Click me');
  expect(html).not.toMatch(/href="[^"]*script/i);
  expect(html).toContain('href="https://example.org/a%20b(c)"');
  expect(html).toContain('href="mailto:team@example.org"');
  const md = await download('md');
  // Read the Markdown as a Markdown reader would: only the safe targets are links.
  const body = md.slice(0, md.indexOf('<!-- common-ground-fingerprint'));
  const hrefs = new MarkdownIt()
    .parseInline(body, {})
    .flatMap((t) => t.children ?? [])
    .filter((t) => t.type === 'link_open')
    .map((t) => t.attrGet('href'));
  expect(hrefs).toEqual(['https://example.org/a%20b(c)', 'mailto:team@example.org']);
  expect(body).toContain('Click me or tab trick or');
});

it('writes no token into the log, whatever the client sends it in', async () => {
  const lines: string[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const s = await h.start({ logLevel: 'debug', logStream });
  const f = await createAgreement(s);
  const id = f.agreement.id;
  const invite = await api<InviteResponse>(s, 'POST', `/api/agreements/${id}/invites`, { role: 'negotiator', name: 'Nia', party: f.ngoId }, f.brokerToken);
  const nia = invite.body.token;
  const clients = [h.connect(s, id, nia), h.connect(s, recordsRoom(id), nia), h.connect(s, id, f.brokerToken)];
  await Promise.all(clients.map((c) => synced(c)));
  // An older client that still puts the token in the URL, and a forged one.
  const old = await rawSocket(`${s.ws}/${id}?token=${nia}`);
  old.socket.close();
  await (
    await rawSocket(`${s.ws}/${id}?token=${nia}x`)
  ).closed;
  await api(s, 'GET', `/api/agreements/${id}/threads?caucus=1&token=${nia}`, undefined, nia);
  await api(s, 'POST', `/api/agreements/${id}/threads`, { body: 'x', caucus: true }, `${nia}broken`);
  await waitFor(() => lines.some((l) => l.includes('/collab/')), { what: 'websocket requests logged' });

  const log = lines.join('');
  expect(log).toContain('[redacted]');
  for (const token of [nia, f.brokerToken]) {
    // Any one of a JWT's three parts would do to recognise it; none may appear.
    for (const part of token.split('.').slice(1)) expect(log).not.toContain(part);
  }
});
