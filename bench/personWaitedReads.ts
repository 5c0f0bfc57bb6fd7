// npx tsx bench/personWaitedReads.ts [REPS=5] [BUSY=0,2] [PAGES=60] [CHECKOUT=dir]: what a negotiator waits for when they state a stance
// or open the objectives list of a long agreement, and the broker when they take or restore a snapshot, while others are in the session (its room loaded), on a quiet machine and
// on one whose cores other processes keep busy (BUSY=n spinning processes at the normal priority: Chromium beside the
// server in the client bench, a database or other work on a shared server). Both requests read the live text in a document
// worker (server/src/documents/textReader.ts); the figure is what the threads' priority makes of that read when the cores are short.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import { fillAgreement } from './client/agreement';
import { startServer, stopServer } from './client/open';

const reps = Number(process.env.REPS ?? 5);
const busyCounts = (process.env.BUSY ?? '0,2').split(',').map(Number);
const dataDir = mkdtempSync(join(tmpdir(), 'cg-person-reads-'));
// CHECKOUT=dir: the server of another checkout of ours (a before and after in the same hour).
const { http, child } = await startServer(dataDir, process.env.CHECKOUT ?? process.cwd());
try {
  const fx = await fillAgreement(http, Number(process.env.PAGES ?? 60));
  // Someone in the session keeps the text's room loaded, as in a live session.
  const doc = new Y.Doc();
  const present = new WebsocketProvider(`${fx.ws}`, fx.id, doc, {
    params: { token: fx.brokerToken },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  await new Promise<void>((resolve) => present.once('sync', () => resolve()));
  const request = async (method: string, path: string, body?: unknown, token = fx.pageToken) => {
    const started = performance.now();
    const res = await fetch(`${http}/api/agreements/${fx.id}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const answer = (await res.json()) as unknown;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(answer)}`);
    return { ms: performance.now() - started, answer };
  };
  // The first read starts the worker: not what a person's later click waits for.
  const { answer } = await request('GET', '/objectives');
  const objectives = (answer as { objectives: { id: string }[] }).objectives;
  if (objectives.length === 0) throw new Error('the fixture has no objectives');
  console.log(`${fx.pages} pages, ${fx.blocks} blocks, ${objectives.length} objectives; a stock client keeps the room loaded`);
  let firstSnapshot: string | undefined;
  for (const busy of busyCounts) {
    const list: number[] = [];
    const stance: number[] = [];
    const snapshot: number[] = [];
    const restore: number[] = [];
    const compare: number[] = [];
    for (let rep = 0; rep < reps; rep++) {
      const burners = keepCoresBusy(busy);
      // The spinning processes are running before the click.
      await new Promise((resolve) => setTimeout(resolve, 300));
      try {
        list.push((await request('GET', '/objectives')).ms);
        const objective = objectives[rep % objectives.length];
        stance.push(
          (
            await request(
              'PUT',
              `/objectives/${objective.id}/stance`,
              rep % 2 ? { stance: 'agree' } : { stance: 'reservations', reason: 'The band is too narrow for the first year.' },
            )
          ).ms,
        );
        // The broker's "Take snapshot" (with the restore below, 12 a minute per person: REPS of 5 or fewer for two busy counts).
        const taken = await request('POST', '/snapshots', { label: `Before the break ${busy}.${rep}` }, fx.brokerToken);
        snapshot.push(taken.ms);
        // Once per busy count, the broker restores the snapshot just taken: the text before is kept (encoded and fingerprinted) first.
        // A legal reviewer compares the first snapshot with the live text (their work, as a stance's read is).
        const first = firstSnapshot ?? (firstSnapshot = (taken.answer as { id: string }).id);
        compare.push((await request('GET', `/diff?from=${first}`)).ms);
        if (rep === reps - 1) restore.push((await request('POST', `/snapshots/${(taken.answer as { id: string }).id}/restore`, {}, fx.brokerToken)).ms);
      } finally {
        for (const burner of burners) burner.kill();
      }
    }
    console.log(
      `${busy} busy processes beside: objectives list ${summary(list)}; a stance stated ${summary(stance)}; a snapshot taken ${summary(snapshot)}; a snapshot restored ${summary(restore)}; a comparison with the live text ${summary(compare)}`,
    );
  }
  present.destroy();
  doc.destroy();
} finally {
  await stopServer(child, dataDir);
}

function summary(ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  return `median ${sorted[Math.floor(sorted.length / 2)].toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms (${ms.map((m) => m.toFixed(0)).join(', ')})`;
}

/** `count` processes that spin until killed (at most a minute). */
function keepCoresBusy(count: number): ChildProcess[] {
  const spin = 'const end = Date.now() + 60_000; while (Date.now() < end);';
  return Array.from({ length: count }, () => spawn(process.execPath, ['-e', spin], { stdio: 'ignore' }));
}
