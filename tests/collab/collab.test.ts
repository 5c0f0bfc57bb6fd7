import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { contentString, rawSocket, synced } from '../support/clients';
import { useHarness } from '../support/harness';
import { createAgreement } from '../support/server';
import { waitFor } from '../support/poll';
import { CloseCode } from '#shared/protocol';

const h = useHarness();
const server = h.start;
const client = h.connect;

describe('live co-editing through the real server', () => {
  it('two negotiators of different parties converge', async () => {
    const s = await server();
    const f = await createAgreement(s);
    const a = client(s, f.agreement.id, await f.invite({ role: 'negotiator', name: 'Amina', party: f.ngoId }));
    const b = client(s, f.agreement.id, await f.invite({ role: 'negotiator', name: 'Ben', party: f.businessId }));
    await synced(a);
    await synced(b);
    a.text.insert(0, 'Shared vision: clean water.');
    await waitFor(() => contentString(b.doc).includes('clean water'), { what: 'b sees a' });
    b.text.insert(b.text.length, ' For everyone.');
    await waitFor(() => contentString(a.doc) === contentString(b.doc) && contentString(a.doc).includes('everyone'), { what: 'convergence' });
  });

  it('a late joiner gets the whole text', async () => {
    const s = await server();
    const f = await createAgreement(s);
    const a = client(s, f.agreement.id, f.brokerToken);
    await synced(a);
    for (let i = 0; i < 50; i++) a.text.insert(a.text.length, `clause ${i}. `);
    await waitFor(() => s.app.ctx.storage.pendingLogLength(f.agreement.id) > 0, { what: 'update stored' });
    const late = client(s, f.agreement.id, await f.invite({ role: 'observer', name: 'Olu' }));
    await synced(late);
    await waitFor(() => contentString(late.doc) === contentString(a.doc), { what: 'late joiner has everything' });
    expect(contentString(late.doc)).toContain('clause 49.');
  });

  it('awareness reaches the others with the identity from the token, and leaves on disconnect', async () => {
    const s = await server();
    const f = await createAgreement(s);
    const a = client(s, f.agreement.id, await f.invite({ role: 'negotiator', name: 'Amina', party: f.ngoId }));
    const b = client(s, f.agreement.id, await f.invite({ role: 'legal', name: 'Lee' }));
    await synced(a);
    await synced(b);
    // A client that claims to be someone else is corrected by the server.
    a.provider.awareness.setLocalStateField('user', { name: 'Impostor', color: '#000', role: 'broker' });
    const seen = await waitFor(() => b.provider.awareness.getStates().get(a.doc.clientID), { what: 'b sees a' });
    expect(seen?.user).toMatchObject({ name: 'Amina', role: 'negotiator', party: f.ngoId, partyName: 'WaterAid Kenya' });
    a.provider.disconnect();
    await waitFor(() => !b.provider.awareness.getStates().has(a.doc.clientID), { what: "a leaves b's awareness" });
  });

  it('a restart serves the stored text word for word', async () => {
    const first = await server();
    const f = await createAgreement(first);
    const a = client(first, f.agreement.id, f.brokerToken);
    await synced(a);
    a.text.insert(0, 'The parties agree to restore 40 km of river bank.');
    const expected = contentString(a.doc);
    await waitFor(() => first.app.ctx.storage.pendingLogLength(f.agreement.id) > 0);
    a.destroy();
    await first.close();

    const second = await server({ dataDir: first.dataDir });
    const b = client(second, f.agreement.id, f.brokerToken);
    await synced(b);
    expect(contentString(b.doc)).toBe(expected);
  });

  it("closes with 4401 without a token or with a bad one, and 4403 with another agreement's token", async () => {
    const s = await server();
    const f = await createAgreement(s);
    const other = await createAgreement(s);
    expect((await (await rawSocket(`${s.ws}/${f.agreement.id}`)).closed).code).toBe(CloseCode.Unauthorized);
    expect((await (await rawSocket(`${s.ws}/${f.agreement.id}?token=forged.token.value`)).closed).code).toBe(CloseCode.Unauthorized);
    const tampered = f.brokerToken.slice(0, -4) + 'AAAA';
    expect((await (await rawSocket(`${s.ws}/${f.agreement.id}?token=${tampered}`)).closed).code).toBe(CloseCode.Unauthorized);
    expect((await (await rawSocket(`${s.ws}/${f.agreement.id}?token=${other.brokerToken}`)).closed).code).toBe(CloseCode.Forbidden);
  });

  it("drops a read-only role's updates: nothing applied, relayed or stored", async () => {
    const s = await server();
    const f = await createAgreement(s);
    const writer = client(s, f.agreement.id, f.brokerToken);
    await synced(writer);
    writer.text.insert(0, 'Agreed text.');
    await waitFor(() => s.app.ctx.storage.pendingLogLength(f.agreement.id) > 0);
    const stored = s.app.ctx.storage.pendingLogLength(f.agreement.id);

    for (const role of ['legal', 'observer'] as const) {
      const reader = client(s, f.agreement.id, await f.invite({ role, name: `${role} person` }));
      await synced(reader);
      await waitFor(() => contentString(reader.doc) === contentString(writer.doc));
      reader.text.insert(0, 'SNEAKY ');
      const room = await s.app.ctx.rooms.acquire(f.agreement.id);
      await waitFor(() => room.droppedUpdates > 0, { what: 'update dropped' });
      room.droppedUpdates = 0;
      s.app.ctx.rooms.release(room);
      reader.destroy();
    }
    // A marker edit from the writer proves the relay is flowing; the sneaky text never arrives.
    writer.text.insert(writer.text.length, ' END');
    const witness = client(s, f.agreement.id, f.brokerToken);
    await synced(witness);
    await waitFor(() => contentString(witness.doc).includes('END'));
    expect(contentString(witness.doc)).not.toContain('SNEAKY');
    expect(contentString(writer.doc)).not.toContain('SNEAKY');
    await s.app.ctx.storage.flush();
    const updates = await s.app.ctx.storage.loadRoom(f.agreement.id);
    const replay = new Y.Doc();
    for (const u of updates) Y.applyUpdate(replay, u);
    expect(contentString(replay)).not.toContain('SNEAKY');
    expect(s.app.ctx.storage.pendingLogLength(f.agreement.id)).toBe(stored + 1);
  });

  it('a malformed frame and an oversized frame close only that connection while another keeps editing', async () => {
    const s = await server({ maxMessageBytes: 64 * 1024 });
    const f = await createAgreement(s);
    const a = client(s, f.agreement.id, f.brokerToken);
    const b = client(s, f.agreement.id, f.brokerToken);
    await synced(a);
    await synced(b);

    const bad = await rawSocket(`${s.ws}/${f.agreement.id}?token=${f.brokerToken}`);
    bad.socket.send(new Uint8Array([0, 2, 200, 1, 2, 3])); // a sync update whose length runs past the frame
    expect((await bad.closed).code).toBe(CloseCode.BadMessage);

    const big = await rawSocket(`${s.ws}/${f.agreement.id}?token=${f.brokerToken}`);
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, 0);
    syncProtocol.writeUpdate(encoder, new Uint8Array(100 * 1024));
    big.socket.send(encoding.toUint8Array(encoder));
    expect((await big.closed).code).toBe(1009);

    a.text.insert(0, 'still editing');
    await waitFor(() => contentString(b.doc).includes('still editing'), { what: 'others keep editing' });
    expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true);
    const health = await fetch(`${s.http}/api/health`);
    expect(health.status).toBe(200);
  });

  it('keeps the generated signing secret in DATA_DIR so links survive a restart', async () => {
    const first = await server({ authSecret: undefined });
    const f = await createAgreement(first);
    const secret = await readFile(join(first.dataDir, 'auth-secret'), 'utf8');
    expect(secret.length).toBeGreaterThanOrEqual(32);
    await first.close();
    const second = await server({ dataDir: first.dataDir, authSecret: undefined });
    // The link made before the restart still opens the agreement, over HTTP and the websocket.
    const view = await fetch(`${second.http}/api/agreements/${f.agreement.id}`, { headers: { authorization: `Bearer ${f.brokerToken}` } });
    expect(view.status).toBe(200);
    expect((await view.json()).me).toMatchObject({ role: 'broker', name: 'Brook Broker' });
    const c = client(second, f.agreement.id, f.brokerToken);
    await synced(c);
    expect(c.provider.wsconnected).toBe(true);
  });
});

describe('HTTP input', () => {
  it('refuses wrong types, unknown fields and broken JSON with a JSON 400, and unknown routes with a JSON 404', async () => {
    const s = await server();
    const post = (body: string) => fetch(`${s.http}/api/agreements`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    for (const body of ['{"title":42}', '{"title":"T","extra":1}', '{"title":', '{"title":"T","parties":[{"name":"A","sector":"army"}]}', '{"title":"   "}']) {
      const res = await post(body);
      expect(res.status, body).toBe(400);
      expect(typeof (await res.json()).error).toBe('string');
    }
    const missing = await fetch(`${s.http}/api/nothing-here`);
    expect(missing.status).toBe(404);
    expect((await missing.json()).error).toMatch(/no route/);
    const invite = await fetch(`${s.http}/api/agreements/nope/invites`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"role":"observer","name":"X"}',
    });
    expect(invite.status).toBe(401);
  });
});
