import { describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { AuditEntry } from '#shared/access';
import { useHarness } from '../support/harness';
import { waitFor } from '../support/poll';
import { api, createAgreement } from '../support/server';

const h = useHarness();

/** Opens the agreement's text as `token` and waits until the server has joined it to the room (its first message). */
async function joinOnce(ws: string, id: string, token: string): Promise<WebSocket> {
  const socket = new WebSocket(`${ws}/${id}?token=${token}`);
  // Listening from the start: the server's first message can come in the same chunk as the handshake.
  await new Promise<void>((resolve, reject) => {
    socket.once('message', () => resolve());
    socket.once('close', (code) => reject(new Error(`refused with ${code}`)));
    socket.once('error', reject);
  });
  return socket;
}

async function close(socket: WebSocket): Promise<void> {
  await new Promise((resolve) => {
    socket.once('close', resolve);
    socket.close();
  });
}

describe('a reconnect storm and the audit log', () => {
  it('one client reconnecting in a loop writes one join and, once it stays away, one leave', async () => {
    const GRACE_MS = 1500;
    const s = await h.start({ auditRejoinGraceMs: GRACE_MS });
    const f = await createAgreement(s);
    const id = f.agreement.id;
    const mallory = await f.invite({ role: 'negotiator', name: 'Mallory', party: f.ngoId });
    const entries = async (kind: string) =>
      (await api<{ entries: AuditEntry[] }>(s, 'GET', `/api/agreements/${id}/audit`, undefined, f.brokerToken)).body.entries.filter(
        (e) => e.kind === kind && e.by?.name === 'Mallory',
      );

    // A second tab stays open meanwhile: a person with two connections is there once.
    const tab = await joinOnce(s.ws, id, mallory);
    const RECONNECTS = 40;
    for (let i = 0; i < RECONNECTS; i++) await close(await joinOnce(s.ws, id, mallory));
    await close(tab);
    const left = await waitFor(async () => ((await entries('person.left')).length > 0 ? entries('person.left') : undefined), {
      timeoutMs: GRACE_MS + 10_000,
      what: 'the leave to be written once the grace has passed',
    });
    const joined = await entries('person.joined');
    console.log(`[hostile] audit storm: ${JSON.stringify({ connections: RECONNECTS + 1, joined: joined.length, left: left.length })}`);
    expect(joined).toHaveLength(1);
    expect(left).toHaveLength(1);
    // The leave carries the time they left, not the time it was written.
    expect(Date.parse(left[0].at)).toBeLessThan(Date.now() - GRACE_MS / 2);

    // Back after the grace: that is a new visit, and the log says so.
    await close(await joinOnce(s.ws, id, mallory));
    await waitFor(async () => (await entries('person.left')).length === 2, { timeoutMs: GRACE_MS + 10_000, what: 'the second leave' });
    expect(await entries('person.joined')).toHaveLength(2);
    const all = (await api<{ entries: AuditEntry[] }>(s, 'GET', `/api/agreements/${id}/audit`, undefined, f.brokerToken)).body.entries;
    expect(all.map((e) => e.at)).toEqual([...all.map((e) => e.at)].sort());
  }, 60_000);

  it('a server closing writes the leave of everyone still there or in their grace', async () => {
    const first = await h.start();
    const f = await createAgreement(first);
    const id = f.agreement.id;
    const nia = await f.invite({ role: 'negotiator', name: 'Nia', party: f.ngoId });
    const ben = await f.invite({ role: 'negotiator', name: 'Ben', party: f.businessId });
    await joinOnce(first.ws, id, nia);
    await close(await joinOnce(first.ws, id, ben));
    await first.close();
    const second = await h.start({ dataDir: first.dataDir });
    const entries = (await api<{ entries: AuditEntry[] }>(second, 'GET', `/api/agreements/${id}/audit`, undefined, f.brokerToken)).body.entries;
    const visits = (name: string) => entries.filter((e) => e.by?.name === name && e.kind.startsWith('person.')).map((e) => e.kind);
    expect(visits('Nia')).toEqual(['person.joined', 'person.left']);
    expect(visits('Ben')).toEqual(['person.joined', 'person.left']);
  });
});
