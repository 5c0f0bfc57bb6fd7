import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { connectClient, synced } from '../support/clients';
import { api } from '../support/server';
import type { ChildServer } from '../support/childServer';
import { useChildServer } from './support/childHarness';
import { waitFor } from '../support/poll';
import { CloseCode } from '#shared/protocol';
import { encodeFrames } from '../../server/src/storage/updateLog';
import { hostileSocket, poisonUpdate, updateFrame, type Poison } from './support/payloads';
import { ISSUE_STALL_MS, STALL_BOUND_MS, report, stallAddedByAttack, underAttack } from './support/pressure';

const POISONS: Poison[] = ['map', 'bareText', 'nested'];
/** Stated bound for these tests: the server (tsx-loaded, ~150-200 MB idle) stays under this. */
const RSS_BOUND_MB = 450;

const harness = useChildServer();
const { clients } = harness;

/** Everything that reads the text answers, and a fresh client gets only elements. */
async function expectReadable(server: ChildServer, id: string, token: string): Promise<void> {
  const base = `/api/agreements/${id}`;
  expect((await api(server, 'GET', `${base}/objectives`, undefined, token)).status).toBe(200);
  expect((await api(server, 'GET', `${base}/completeness`, undefined, token)).status).toBe(200);
  const snapshot = await api<{ id: string }>(server, 'POST', `${base}/snapshots`, { label: 'after the attack' }, token);
  expect(snapshot.status).toBe(201);
  expect((await api(server, 'GET', `${base}/snapshots/${snapshot.body.id}`, undefined, token)).status).toBe(200);
  expect((await api(server, 'GET', `${base}/diff?from=${snapshot.body.id}&to=live`, undefined, token)).status).toBe(200);
  for (const format of ['md', 'html', 'docx']) {
    const res = await fetch(`${server.http}${base}/snapshots/live/export?format=${format}`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status, `export ${format}`).toBe(200);
  }
  const fresh = connectClient(server.ws, id, token);
  clients.push(fresh);
  await synced(fresh, 15_000);
  const fragment = fresh.doc.getXmlFragment('content');
  expect(fragment.toArray().every((child) => child instanceof Y.XmlElement)).toBe(true);
  expect(depthOf(fragment)).toBeLessThan(100);
}

/** How deep elements nest (walked without recursion: the poison is 6,000 levels deep). */
function depthOf(fragment: Y.XmlFragment): number {
  let deepest = 0;
  const stack: [Y.XmlFragment | Y.XmlElement, number][] = [[fragment, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    deepest = Math.max(deepest, depth);
    for (const child of node.toArray()) if (child instanceof Y.XmlElement) stack.push([child, depth + 1]);
  }
  return deepest;
}

describe('finding 1: a text update the shared schema cannot read', () => {
  it('is refused before it is applied, relayed or stored, and the connection is told', async () => {
    const { server: child, f } = await harness.start();
    const id = f.agreement.id;
    const negotiator = await f.invite({ role: 'negotiator', name: 'Mallory', party: f.ngoId });
    const codes: number[] = [];
    const pressure = await underAttack(child, id, f.brokerToken, async () => {
      for (const kind of POISONS) {
        const { socket, closed } = await hostileSocket(`${child.ws}/${id}?token=${negotiator}`);
        socket.send(updateFrame(poisonUpdate(kind)));
        // A refused update ends the connection; an accepted one leaves it open until we close it.
        const timer = setTimeout(() => socket.close(), 15_000);
        codes.push(await closed);
        clearTimeout(timer);
      }
    });
    clients.push(...pressure.clients);
    report('1 poisoned text (live)', pressure, { codes });
    expect(codes).toEqual(POISONS.map(() => CloseCode.BadMessage));
    await expectReadable(child, id, f.brokerToken);
    // The issue's 200 ms, as the work one stretch of the server's main thread did (CPU, not waits for a core).
    expect(pressure.maxStallCpuMs).toBeLessThan(ISSUE_STALL_MS);
    expect(stallAddedByAttack(pressure)).toBeLessThan(STALL_BOUND_MS);
    expect(pressure.maxEditLagMs).toBeLessThan(5000);
    expect(pressure.maxRssMb).toBeLessThan(RSS_BOUND_MB);

    // Nothing of it was stored: a restart serves a readable text too.
    await expectReadable(await harness.restart(), id, f.brokerToken);
  }, 90_000);

  it('a text stored with such updates before the check still opens, exports and is repaired', async () => {
    const { server: first, f, dataDir } = await harness.start();
    const id = f.agreement.id;
    const editor = connectClient(first.ws, id, f.brokerToken);
    clients.push(editor);
    await synced(editor, 15_000);
    const paragraph = new Y.XmlElement('paragraph');
    paragraph.insert(0, [new Y.XmlText('The river section from the bridge to the weir.')]);
    editor.doc.getXmlFragment('content').insert(0, [paragraph]);
    await waitFor(async () => (await api<{ gaps: unknown[] }>(first, 'GET', `/api/agreements/${id}/completeness`, undefined, f.brokerToken)).status === 200);
    await harness.stop();
    for (const c of clients.splice(0)) c.destroy();

    // As a server without the check would have stored them.
    await appendFile(join(dataDir, 'rooms', `${id}.log`), encodeFrames(POISONS.map(poisonUpdate)));
    const child = await harness.restart();
    await expectReadable(child, id, f.brokerToken);
    const exported = await fetch(`${child.http}/api/agreements/${id}/snapshots/live/export?format=md`, {
      headers: { authorization: `Bearer ${f.brokerToken}` },
    });
    expect(await exported.text()).toContain('The river section from the bridge to the weir.');
  }, 90_000);
});
