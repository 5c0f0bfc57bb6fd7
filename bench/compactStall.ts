/**
 * The longest event-loop stall while a room's log is compacted with two people typing, on 40 pages
 * reworded five times (1.1 MB of state). `npx tsx bench/compactStall.ts [reps]` prints one JSON line.
 * The server runs in this process (lowdb, the bundled document worker, as the tests start it) beside two
 * stock y-websocket clients typing 10 characters a second each (every fifth a correction); a 1 ms timer
 * notes the longest gap from each forced compaction's start until it is stored. The clients' own work in
 * this thread (a keystroke applied) is well under a millisecond: the gaps are the server's.
 */
import { contentRoom } from '../shared/src/rooms';
// @ts-expect-error: the server bench's helpers are plain JavaScript.
import { versionAndNextRound } from './text.mjs';
import { connectClient, paragraphText, synced } from '../tests/support/clients';
import { createAgreement, removeDir, startServer } from '../tests/support/server';
import { waitFor } from '../tests/support/poll';
import { longestStall } from './loopStall';

const reps = Number(process.argv[2] ?? 8);
const server = await startServer();
const f = await createAgreement(server);
const room = contentRoom(f.agreement.id);
await waitFor(() => !server.app.ctx.rooms.openRoomNames().includes(room), { timeoutMs: 30_000, what: 'the new room unloaded' });
// bench/text.mjs has the bench's own Yjs: only its bytes cross over.
await server.app.ctx.storage.compactRoom(room, versionAndNextRound(40, 5).version);
const clients = [connectClient(server.ws, room, f.brokerToken), connectClient(server.ws, room, f.brokerToken)];
for (const client of clients) await synced(client, 60_000);

let typed = 0;
const typing = setInterval(() => {
  for (const client of clients) {
    const text = paragraphText(client.doc);
    if (++typed % 5 === 0) text.delete(text.length - 1, 1);
    else text.insert(text.length, 'w');
  }
}, 100);

const stalls: number[] = [];
const compactions: string[] = [];
for (let rep = 0; rep < reps; rep++) {
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const { stallMs } = await longestStall(() =>
    server.app.ctx.rooms.with(room, async (open) => {
      const before = JSON.stringify((open as { compactions?: unknown }).compactions ?? 'n/a');
      await open.compact();
      compactions.push(`${before} -> ${JSON.stringify((open as { compactions?: unknown }).compactions ?? 'n/a')}`);
    }),
  );
  stalls.push(Math.round(stallMs * 10) / 10);
}
clearInterval(typing);
const stateBytes = (await server.app.ctx.storage.loadRoom(room))[0]?.length;
const sorted = [...stalls].sort((a, b) => a - b);
console.log(JSON.stringify({ stalls, median: sorted[Math.floor(sorted.length / 2)], max: sorted[sorted.length - 1], stateBytes, last: compactions.at(-1) }));
for (const client of clients) client.destroy();
await server.close();
await removeDir(server.dataDir);
process.exit(0);
