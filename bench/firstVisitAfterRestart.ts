// npx tsx bench/firstVisitAfterRestart.ts [REPS=4]: the first visitor of a 60-page agreement after the server (re)started,
// as a stock y-websocket client, connect to synced (and the blocks read, a few ms). The server runs as `npm start` runs
// it (tsx) and is given 3 s after it listens before the visitor comes. Its room loads then, and a stored text of 256 KB
// or more is cut for the load in the document worker (server/src/rooms/applyInSlices.ts): a worker started at that
// first job made the visitor wait for it to load its code.
// BUSY=n: n processes keep the machine's cores busy while the visitor comes (as Chromium beside the server in the client
// bench, or other work on a shared server): the server's threads then get the cores by their priority.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fillAgreement, serverBlocks } from './client/agreement';
import { startServer, stopServer } from './client/open';

const dataDir = mkdtempSync(join(tmpdir(), 'cg-restart-'));
let { http, child } = await startServer(dataDir, process.cwd());
const fx = await fillAgreement(http, 60);
const stop = async () => {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
};
// Each round: stop, start afresh on the same data, then one visitor.
for (let rep = 0; rep < Number(process.env.REPS ?? 4); rep++) {
  await stop();
  ({ http, child } = await startServer(dataDir, process.cwd()));
  await new Promise((resolve) => setTimeout(resolve, 3000)); // a server runs a while before its first visitor
  const busy = keepCoresBusy(Number(process.env.BUSY ?? 0));
  const started = performance.now();
  const blocks = await serverBlocks(http.replace('http', 'ws') + '/collab', fx.id, fx.pageToken);
  const ms = performance.now() - started;
  for (const burner of busy) burner.kill();
  if (blocks.length !== fx.blocks) throw new Error(`the visitor got ${blocks.length} blocks of ${fx.blocks}`);
  console.log(
    `first visitor after a restart${busy.length ? ` (${busy.length} busy processes beside)` : ''}: connect -> synced, ${blocks.length} blocks read: ${ms.toFixed(0)} ms`,
  );
}
await stopServer(child, dataDir);

/** `count` processes that spin until killed (at most a minute). */
function keepCoresBusy(count: number): ChildProcess[] {
  const spin = 'const end = Date.now() + 60_000; while (Date.now() < end);';
  return Array.from({ length: count }, () => spawn(process.execPath, ['-e', spin], { stdio: 'ignore' }));
}
