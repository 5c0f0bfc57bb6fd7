import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { contentRoom } from '#shared/rooms';
import { ISSUE_STALL_MS, report, underAttack } from './support/pressure';
import { useChildServer } from './support/childHarness';
import { longAgreement, reword, writeDocument } from '../support/document';
import { api } from '../support/server';

const harness = useChildServer();

// Every request that needs the objectives (the list, a stance, a call for stances, a consent
// round, a parked point, an agenda) read the whole text on the server's main thread: 80 ms for
// 40 pages, about 400 ms for 40 pages reworded for months. One participant asking again and
// again froze every session on the server.

describe('reading the objectives of a long agreement', () => {
  it('a participant asking for them again and again, eight at a time, stalls no one, and gets them or a 429', async () => {
    const { f, dataDir } = await harness.start();
    const id = f.agreement.id;
    const negotiator = await f.invite({ role: 'negotiator', name: 'Mallory', party: f.ngoId });
    // 40 pages with 20 objectives, reworded five times (about 1 MB), stored as the text's state.
    await harness.stop();
    const doc = new Y.Doc();
    writeDocument(doc, longAgreement(40, { objectiveEvery: 2 }));
    reword(doc, 5);
    await mkdir(join(dataDir, 'rooms'), { recursive: true });
    await writeFile(join(dataDir, 'rooms', `${contentRoom(id)}.state`), Y.encodeStateAsUpdate(doc));
    const server = await harness.restart();

    const statuses: number[] = [];
    let listed = 0;
    const pressure = await underAttack(server, contentRoom(id), f.brokerToken, async () => {
      for (let wave = 0; wave < 3; wave++) {
        const answers = await Promise.all(
          Array.from({ length: 8 }, () => api<{ objectives: unknown[] }>(server, 'GET', `/api/agreements/${id}/objectives`, undefined, negotiator)),
        );
        for (const answer of answers) {
          statuses.push(answer.status);
          if (answer.status === 200) listed = answer.body.objectives.length;
        }
      }
    });
    harness.clients.push(...pressure.clients);
    report('objective reads', pressure, { statuses });
    console.log('LOOPS', [...server.output().matchAll(/\[loop\] max=(\d+) cpu=(\d+)/g)].map((m) => m[2]).join(' '));
    expect(statuses.every((status) => status === 200 || status === 429)).toBe(true);
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(3);
    expect(listed).toBe(20);
    expect(pressure.maxStallCpuMs).toBeLessThan(ISSUE_STALL_MS);
    expect(pressure.maxEditLagMs).toBeLessThan(5000);
  }, 180_000);
});
