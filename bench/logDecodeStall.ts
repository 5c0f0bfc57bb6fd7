/**
 * The longest event-loop stall while lowdb compacts a room whose log holds 20,000 one-character
 * updates (a day of typing between compactions), keeping the last record so the whole log is read and
 * decoded, and while the same log is loaded; and the same bytes decoded alone (decodeFrames). `npx tsx bench/logDecodeStall.ts [reps]` prints one JSON line.
 */
import * as Y from 'yjs';
import { LowdbStorage } from '../server/src/storage/lowdbStorage';
import type { LogMark } from '../server/src/storage/port';
import { decodeFrames, encodeFrames } from '../server/src/storage/updateLog';
import { removeDir, tempDir } from '../tests/support/server';
import { longestStall } from './loopStall';

const reps = Number(process.argv[2] ?? 5);
const UPDATES = 20_000;
const dir = await tempDir('cg-log-decode-');
const storage = await LowdbStorage.open({ dataDir: dir });
const doc = new Y.Doc();
const updates: Uint8Array[] = [];
doc.on('update', (update: Uint8Array) => updates.push(update));
const text = doc.getText('t');
for (let i = 0; i < UPDATES; i++) text.insert(text.length, 'x');
const state = Y.encodeStateAsUpdate(doc);
const compactMs: number[] = [];
const loadMs: number[] = [];
const atOnceMs: number[] = [];
const bytes = encodeFrames(updates);
for (let rep = 0; rep < reps; rep++) {
  for (const update of updates) storage.appendUpdate('room', update);
  await storage.flush();
  const fresh = await LowdbStorage.open({ dataDir: dir });
  loadMs.push((await longestStall(() => fresh.loadRoom('room'))).stallMs);
  await fresh.close();
  const mark = await storage.logMark('room');
  compactMs.push((await longestStall(() => storage.compactRoom('room', state, ((mark as number) - 1) as LogMark))).stallMs);
  atOnceMs.push((await longestStall(() => Promise.resolve(decodeFrames(bytes)))).stallMs);
}
await storage.close();
await removeDir(dir);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round = (ms: number) => Math.round(ms * 10) / 10;
const figures = { compact: compactMs, load: loadMs, decodeAtOnce: atOnceMs };
console.log(
  JSON.stringify({
    updates: UPDATES,
    stallsMs: Object.fromEntries(Object.entries(figures).map(([name, values]) => [name, values.map(round)])),
    medians: Object.fromEntries(Object.entries(figures).map(([name, values]) => [name, round(median(values))])),
  }),
);
