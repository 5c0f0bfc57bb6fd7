// npx tsx bench/firstAfterLoad.ts [ROOT] [ROUNDS]: what the first keystroke and the first returning visitor after a room
// loads cost the event loop, on 40 pages reworded five times (bench/text.mjs), in one process: the room loaded as the
// server loads it (its stored state cut into pieces by the document worker, applied in slices, the text guard ready),
// then one keystroke checked and applied, then one returning visitor answered. ROOT is the checkout whose server code
// runs (default: this one), so two checkouts compare in alternation. Prints each round's figures in ms and the medians
// of all rounds but the first (which compiles the code it runs).
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
// @ts-expect-error: the server bench's helpers are plain JavaScript.
import { rewordedAgreement } from './text.mjs';
import { longestStall } from './loopStall';

const root = resolve(process.argv[2] ?? join(import.meta.dirname, '..'));
const rounds = Number(process.argv[3] ?? 5);
const from = (path: string) => import(pathToFileURL(join(root, path)).href);

// The server's own Yjs (bench/node_modules holds another: two copies fail Yjs's class checks).
const Y: typeof import('yjs') = await from('node_modules/yjs/dist/yjs.mjs');
const encoding: typeof import('lib0/encoding') = await from('node_modules/lib0/encoding.js');
const syncProtocol: typeof import('y-protocols/sync') = await from('node_modules/y-protocols/sync.js');
const { Room } = await from('server/src/rooms/Room.ts');
const { TextGuard } = await from('server/src/rooms/guards/textGuard.ts');
const { DEFAULT_UPDATE_LIMITS } = await from('server/src/rooms/guards/limits.ts');
const { DocumentWorker } = await from('server/src/features/snapshots/diff/DocumentWorker.ts');
const { SERVER_ORIGIN } = await from('server/src/rooms/origin.ts');

const silent = { error() {}, warn() {}, info() {}, debug() {} };
const state: Uint8Array = (await import('yjs')).encodeStateAsUpdate(rewordedAgreement(40, 5));
const worker = new DocumentWorker({});

const timed = (work: () => void) => {
  const start = performance.now();
  work();
  return performance.now() - start;
};

const figures: { load: number; loadStall: number; keystroke: number; visitor: number }[] = [];
for (let round = 0; round < rounds; round++) {
  const storage = {
    appendUpdate() {},
    pendingLogLength: () => 0,
    logMark: async () => 0,
    compactRoom: async () => {},
  };
  const guard = new TextGuard(DEFAULT_UPDATE_LIMITS, silent);
  const started = performance.now();
  const { result: room, stallMs: loadStall } = await longestStall(async () => {
    const cut = (update: Uint8Array) => worker.run({ kind: 'pieces', update, maxStructs: 500 });
    const loaded = await Room.load(`agreement${round}`, storage, [state], undefined, cut);
    guard.afterLoad(loaded);
    await guard.ready?.(loaded);
    return loaded;
  });
  const load = performance.now() - started;
  await new Promise((r) => setTimeout(r, 50));

  // A typist's keystroke, checked by the guard and applied (what a client's update costs the loop).
  const typist = new Y.Doc();
  Y.applyUpdate(typist, state);
  let keystroke: Uint8Array = new Uint8Array();
  typist.once('update', (update: Uint8Array) => (keystroke = update));
  ((typist.getXmlFragment('content').get(1) as InstanceType<typeof Y.XmlElement>).get(0) as InstanceType<typeof Y.XmlText>).insert(0, 'x');
  const source = { origin: { kind: 'client' }, presentAs: () => undefined };
  const keystrokeMs = timed(() => {
    room.updateGuard(keystroke, room.doc, source);
    Y.applyUpdate(room.doc, keystroke, SERVER_ORIGIN);
  });
  await room.whenStored();

  // A returning visitor (its page holds the text): its SyncStep1, answered with what it lacks and the delete set.
  const socket = { send() {}, close() {}, bufferedAmount: 0 };
  room.join(socket, { canWrite: true });
  const step1 = encoding.createEncoder();
  encoding.writeVarUint(step1, 0);
  syncProtocol.writeSyncStep1(step1, typist);
  const visitorMs = timed(() => room.receive(socket, encoding.toUint8Array(step1)));
  room.leave(socket);
  await room.unload();
  figures.push({ load, loadStall, keystroke: keystrokeMs, visitor: visitorMs });
  console.log(
    `round ${round + 1}: load ${load.toFixed(0)} ms (longest stall ${loadStall.toFixed(1)}), first keystroke ${keystrokeMs.toFixed(1)}, first returning visitor ${visitorMs.toFixed(1)}`,
  );
}
// The first round also compiles the code it runs: the medians are of the others.
const median = (values: number[]) => values.slice(1).sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)];
console.log(
  `${root}: median load ${median(figures.map((f) => f.load)).toFixed(0)} ms (longest stall ${median(figures.map((f) => f.loadStall)).toFixed(1)}), ` +
    `first keystroke ${median(figures.map((f) => f.keystroke)).toFixed(1)}, first returning visitor ${median(figures.map((f) => f.visitor)).toFixed(1)}`,
);
await worker.close();
