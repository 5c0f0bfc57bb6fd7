// npx tsx bench/firstVisitAfterRestart.ts [REPS=4]: the first visitor of a 60-page agreement after the server (re)started,
// as a stock y-websocket client, connect to synced. The server runs as `npm start` runs it (tsx) and is given 3 s after
// it listens before the visitor comes. Its room loads then, and a stored text of 256 KB or more is cut for the load in
// the document worker (server/src/rooms/applyInSlices.ts): a worker started at that first job made the visitor wait
// for it to load its code.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { fillAgreement } from './client/agreement';
import { startServer } from './client/open';
const dataDir = mkdtempSync(join(tmpdir(), 'cg-restart-'));
let { http, child } = await startServer(dataDir, process.cwd());
const fx = await fillAgreement(http, 60);
// Each round: stop, start afresh on the same data, then one visitor.
const stop = async () => {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
};
for (let rep = 0; rep < Number(process.env.REPS ?? 4); rep++) {
  await stop();
  ({ http, child } = await startServer(dataDir, process.cwd()));
  await new Promise((r) => setTimeout(r, 3000)); // a server runs a while before its first visitor
  const ws = http.replace('http', 'ws') + '/collab';
  const t0 = performance.now();
  const doc = new Y.Doc();
  const p = new WebsocketProvider(ws, fx.id, doc, {
    params: { token: fx.pageToken },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  await new Promise<void>((r) => p.once('sync', () => r()));
  console.log(`first visitor after a restart: connect -> synced ${(performance.now() - t0).toFixed(0)} ms`);
  p.destroy();
  doc.destroy();
}
await stop();
