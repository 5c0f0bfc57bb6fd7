import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import * as Y from 'yjs';
import { anchorAt, contentFragment } from '#shared/anchors';
import { RecordsKey } from '#shared/records';
import { recordsRoom } from '#shared/rooms';
import type { InviteResponse } from '#shared/protocol';
import { causalPieces } from '#shared/causalPieces';
import { connectClient, contentString, countingWebSocket, paragraphText, synced, writeOnOpenAndLeave, type TestClient } from '../support/clients';
import { longAgreement, writeDocument } from '../support/document';
import { applySyncInPieces, PIECE_STRUCTS } from '../../client/src/session/piecewiseSync';
import { api, createAgreement } from '../support/server';
import { waitFor } from '../support/poll';
import { createDatabase } from '../support/postgres';
import { leaseOf, startInstance, stopInstance, withDatabase, type Instance } from '../support/cluster';
import { DEFAULT_MAX_CONNECTIONS_PER_PERSON } from '../../server/src/ws/collab';

/** The agreement's content as the database holds it. */
async function storedDocument(room: string): Promise<Y.Doc> {
  const rows = await withDatabase(
    db.url,
    async (c) => (await c.query<{ data: Buffer }>('SELECT data FROM room_updates WHERE room = $1 ORDER BY seq', [room])).rows,
  );
  const doc = new Y.Doc();
  for (const row of rows) Y.applyUpdate(doc, row.data);
  return doc;
}

/** The agreement text (its first paragraph) as the database holds it. */
async function storedText(room: string): Promise<string> {
  return paragraphText(await storedDocument(room)).toString();
}

let db: { url: string; drop(): Promise<void> };
let instances: Instance[] = [];
const clients: TestClient[] = [];

beforeAll(async () => {
  db = await createDatabase(inject('postgresUrl'));
  // Three instances on one database, each its own process (as on three machines).
  instances = await Promise.all([1, 2, 3].map(() => startInstance(db.url)));
}, 60_000);
afterAll(async () => {
  await Promise.all(instances.map(stopInstance));
  await db?.drop();
});
afterEach(() => {
  for (const c of clients.splice(0)) c.destroy();
});

function client(instance: Instance, room: string, token: string): TestClient {
  const c = connectClient(instance.ws, room, token);
  clients.push(c);
  return c;
}

describe('several instances on one PostgreSQL', () => {
  it('create on one, invite on another, comment on a third; stock clients on different instances co-edit and see each other', async () => {
    const [a, b, c] = instances;
    const f = await createAgreement(a);
    const id = f.agreement.id;
    expect((await leaseOf(db.url, id)).ownerUrl).toBe(a.http);

    // Invites through B and C are forwarded to A, the owner.
    const invite = async (via: Instance, body: object) => {
      const res = await api<InviteResponse>(via, 'POST', `/api/agreements/${id}/invites`, body, f.brokerToken);
      expect(res.status).toBe(201);
      return res.body.token;
    };
    const nia = await invite(b, { role: 'negotiator', name: 'Nia Otieno', party: f.ngoId });
    const ben = await invite(c, { role: 'negotiator', name: 'Ben Kamau', party: f.businessId });
    const people = await api<{ people: { name: string }[] }>(c, 'GET', `/api/agreements/${id}/people`, undefined, f.brokerToken);
    expect(people.body.people.map((p) => p.name)).toEqual(expect.arrayContaining(['Nia Otieno', 'Ben Kamau']));

    // Nia on B, Ben on C: both co-edit the text that A serves.
    const onB = client(b, id, nia);
    const onC = client(c, id, ben);
    await Promise.all([synced(onB), synced(onC)]);
    onB.provider.awareness.setLocalStateField('cursor', { anchor: 1 });
    onC.provider.awareness.setLocalStateField('cursor', { anchor: 2 });
    paragraphText(onB.doc).insert(0, 'The parties agree to restore the Nzoia river. ');
    await waitFor(() => contentString(onC.doc).includes('Nzoia'), { what: "C sees B's text" });
    paragraphText(onC.doc).insert(paragraphText(onC.doc).length, 'Funding comes from both sides.');
    const text = 'The parties agree to restore the Nzoia river. Funding comes from both sides.';
    await waitFor(() => contentString(onB.doc).includes(text) && contentString(onC.doc) === contentString(onB.doc), { what: 'both converge' });

    // Carets and presence cross instances too, stamped by the owner from each token.
    const namesSeenBy = (x: TestClient) => [...x.provider.awareness.getStates().values()].map((s) => (s.user as { name?: string } | undefined)?.name);
    await waitFor(() => namesSeenBy(onB).includes('Ben Kamau') && namesSeenBy(onC).includes('Nia Otieno'), { what: 'presence across instances' });
    await waitFor(() => [...onB.provider.awareness.getStates().values()].some((s) => (s.cursor as { anchor?: number } | undefined)?.anchor === 2), {
      what: 'caret across instances',
    });

    // A comment made through C is live for a records client on B.
    const records = client(b, recordsRoom(id), nia);
    await synced(records);
    const passage = text.indexOf('Nzoia');
    const anchor = anchorAt(contentFragment(onC.doc), 1 + passage, 1 + passage + 'Nzoia river'.length);
    const thread = await api<{ thread: { id: string; quote: string } }>(c, 'POST', `/api/agreements/${id}/threads`, { anchor, body: 'Which stretch?' }, ben);
    expect(thread.status).toBe(201);
    expect(thread.body.thread.quote).toBe('Nzoia river');
    await waitFor(() => records.doc.getMap(RecordsKey.threads).has(thread.body.thread.id), { what: 'thread live on B' });

    // A stance, a snapshot and a diff through three different instances.
    const snap = await api<{ id: string; hash: string }>(b, 'POST', `/api/agreements/${id}/snapshots`, { label: 'First draft' }, nia);
    expect(snap.status).toBe(201);
    const listed = await api<{ id: string; verified: boolean }[]>(c, 'GET', `/api/agreements/${id}/snapshots`, undefined, ben);
    expect(listed.body.map((s) => [s.id, s.verified])).toEqual([[snap.body.id, true]]);
    paragraphText(onB.doc).insert(0, 'Draft: ');
    await waitFor(
      async () => {
        const diff = await api<{ summary: { total: number } }>(a, 'GET', `/api/agreements/${id}/diff?from=${snap.body.id}`, undefined, ben);
        return diff.status === 200 && diff.body.summary.total > 0;
      },
      { what: 'diff through A shows the edit made on B' },
    );

    // Errors travel back unchanged: a wrong token on a non-owner is the owner's 401/403, as JSON.
    const refused = await api<{ error: string }>(c, 'POST', `/api/agreements/${id}/invites`, { role: 'observer', name: 'X' }, nia);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatch(/broker/);

    // What the owner stored is what everyone sees.
    await waitFor(async () => (await storedText(id)).includes('Draft: The parties agree'), { what: 'the edit in the database' });
  });

  // A first visit on a slow link gets a long text deflated (tests/collab/deflatedSync.test.ts); through an instance
  // that forwards to the owner too: the offer travels with the token, and the owner's answer comes back as it is.
  it('a newcomer on an instance that forwards to the owner gets a long text deflated when it offers to read it so', { timeout: 60_000 }, async () => {
    const [a, b] = instances;
    const f = await createAgreement(a);
    const id = f.agreement.id;
    const writer = client(a, id, f.brokerToken);
    await synced(writer);
    writeDocument(writer.doc, longAgreement(40));
    const text = contentString(writer.doc);

    const { counted: received, Counting } = countingWebSocket();
    const reader = connectClient(b.ws, id, f.brokerToken, { connect: false, deflatedSync: true, webSocket: Counting });
    clients.push(reader);
    const pieces = applySyncInPieces(reader.provider, { cut: async ([update]) => causalPieces(update, PIECE_STRUCTS) });
    try {
      // Once the owner holds all of it: the reader's copy then is the whole text.
      await waitFor(async () => contentString(await storedDocument(id)) === text, { timeoutMs: 20_000, what: 'the text stored by the owner' });
      reader.provider.connect();
      await synced(reader, 20_000);
      expect(contentString(reader.doc)).toBe(text);
      expect(received.bytes).toBeLessThan(Y.encodeStateAsUpdate(writer.doc).length / 2);
    } finally {
      pieces.destroy();
    }
  });

  // A program that writes as soon as its socket opens and disconnects at once, through an instance that
  // forwards to the owner: what it sent while that instance was still finding the owner and opening its
  // link there reaches the owner (tests/collab/closeAfterSend.test.ts checks the one-instance case).
  it('a client on a forwarding instance that writes as its socket opens and disconnects at once loses nothing', async () => {
    const [a, b, c] = instances;
    const f = await createAgreement(a);
    const id = f.agreement.id;
    expect((await leaseOf(db.url, id)).ownerUrl).toBe(a.http);
    const written: string[] = [];
    for (let round = 0; round < 3; round++) {
      const writer = connectClient(b.ws, id, f.brokerToken, { connect: false });
      clients.push(writer);
      const line = `Clause ${round + 1}, sent through another instance before it answered.`;
      written.push(line);
      await writeOnOpenAndLeave(writer, line);
    }
    const reader = client(c, id, f.brokerToken);
    await synced(reader, 15_000);
    await waitFor(() => written.every((line) => contentString(reader.doc).includes(line)), {
      timeoutMs: 15_000,
      what: 'every clause at a reader on a third instance',
    });
    // Each writer's place among the person's connections came back once its link closed: with the
    // reader's (the same person, counted at the owner too), all twelve can be held again through the
    // forwarding instance (DEFAULT_MAX_CONNECTIONS_PER_PERSON).
    const again = Array.from({ length: DEFAULT_MAX_CONNECTIONS_PER_PERSON - 1 }, () => client(b, id, f.brokerToken));
    await Promise.all(again.map((c) => synced(c, 15_000)));
  });
});
