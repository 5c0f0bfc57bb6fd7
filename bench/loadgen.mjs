// The load generator: runs one scenario against one server and prints its result as JSON.
// It runs in its own process (pinned to its own core by run.mjs).
import { readFileSync } from 'node:fs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { benchText, rewordedAgreement, typedText } from './text.mjs';
import { BrowserLikeSocket, connect, until } from './clients.mjs';
import { isOurs } from './spawn.mjs';

// Each y-websocket provider adds a process 'exit' listener.
process.setMaxListeners(0);
const { scenario, server, params } = JSON.parse(process.argv[2]);
const metrics = async (query = '') => (await fetch(`http://127.0.0.1:${server.metricsPort}/?${query}`)).json();

/** CPU of every process serving (several instances: their sum). */
function serverCpuTicks() {
  let ticks = 0;
  for (const pid of server.pids ?? [server.pid]) {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    ticks += Number(fields[11]) + Number(fields[12]); // utime + stime, in 1/100 s
  }
  return ticks;
}

async function newDocs(count) {
  if (!isOurs(server.kind)) return Array.from({ length: count }, (_, i) => ({ name: `doc-${Date.now()}-${i}` }));
  const docs = [];
  for (let i = 0; i < count; i++) {
    const res = await fetch(`${server.http}/api/agreements`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: `bench ${i}` }),
    });
    const body = await res.json();
    docs.push({ name: body.id, token: body.token });
  }
  return docs;
}

function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : null;
}

/**
 * The arrival of every stamped character at every other client: `type` inserts a character
 * stamped with this process's clock, and `latencies` collects how late each arrived.
 */
function latencyProbe(conns) {
  const stamps = new Map();
  const latencies = [];
  for (const c of conns) {
    const me = c.doc.clientID;
    c.count((meta) => {
      const now = performance.now();
      for (const [client, to] of meta.to) {
        if (client === me) continue;
        for (let clock = meta.from.get(client) ?? 0; clock < to; clock++) {
          const sent = stamps.get(`${client}:${clock}`);
          if (sent !== undefined) latencies.push(now - sent);
        }
      }
    });
  }
  return {
    latencies,
    type(doc, text) {
      stamps.set(`${doc.clientID}:${Y.getState(doc.store, doc.clientID)}`, performance.now());
      text.insert(0, 'x');
    },
  };
}

/**
 * Each writer ({ doc, text }) types `perSecond` characters a second until `stop` (which answers
 * how many were sent). They are due by the clock, not by ticks: a timer that fires late on a
 * busy machine sends what is owed at once instead of quietly lowering the rate.
 */
function typeOnTheClock(writers, perSecond, probe, { correctEvery = 0 } = {}) {
  const started = performance.now();
  let rounds = 0;
  let sent = 0;
  const timer = setInterval(() => {
    const due = Math.floor(((performance.now() - started) / 1000) * perSecond);
    while (rounds < due) {
      rounds++;
      for (const { doc, text } of writers) {
        // A correction: the character typed before this one (typing inserts at the start) is taken back, as people do.
        if (correctEvery > 0 && rounds % correctEvery === 0 && text.length > 0) text.delete(0, 1);
        probe.type(doc, text);
        sent++;
      }
    }
  }, 10);
  return {
    stop() {
      clearInterval(timer);
      return sent;
    },
  };
}

/** Clients on one document; writers type one character per tick, stamped with this process's clock. */
async function typing({ clients, writers, ratePerSecond, seconds, drainMs = 1000 }) {
  const [doc] = await newDocs(1);
  const conns = [];
  // Several instances: the clients are spread over them, as a round-robin load balancer would.
  const wsList = server.wsList ?? [server.ws];
  for (let i = 0; i < clients; i++) conns.push(await connect({ ...server, ws: wsList[i % wsList.length] }, doc.name, doc.token));
  const probe = latencyProbe(conns);
  const writing = conns.slice(0, writers).map((c) => ({ doc: c.doc, text: benchText(c.doc) }));
  await metrics('reset');
  const cpu0 = serverCpuTicks();
  const lg0 = process.cpuUsage();
  const started = performance.now();
  const typist = typeOnTheClock(writing, ratePerSecond / writers, probe);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const sent = typist.stop();
  const elapsed = (performance.now() - started) / 1000;
  const cpu = (serverCpuTicks() - cpu0) / elapsed; // percent of one core
  const lg = process.cpuUsage(lg0);
  const delay = await metrics();
  const expected = sent * (clients - 1);
  const deadline = performance.now() + drainMs;
  const { latencies } = probe;
  await until(() => latencies.length >= expected || performance.now() > deadline, drainMs + 1000).catch(() => {});
  const received = latencies.length;
  latencies.sort((a, b) => a - b);
  for (const c of conns) c.destroy();
  return {
    clients,
    writers,
    ratePerSecond,
    sent,
    expected,
    received,
    lost: expected - received,
    deliveredPerSecond: received / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    p999: percentile(latencies, 99.9),
    serverCpuPercent: cpu,
    loadgenCpuPercent: (lg.user + lg.system) / 1e4 / elapsed,
    serverLoopDelayP99Ms: delay.delayMs.p99,
  };
}

async function manyDocuments({ documents, kilobytes }) {
  // BENCH_HEAP_SNAPSHOTS=dir: heap snapshots of the server before the documents, with all of them open, and after everyone left.
  const snapshots = process.env.BENCH_HEAP_SNAPSHOTS;
  const snapshot = (name) => (snapshots ? `&snapshot=${encodeURIComponent(`${snapshots}/${server.kind}-${documents}-${name}.heapsnapshot`)}` : '');
  const base = (await metrics(`gc${snapshot('base')}`)).heapUsed;
  const docs = await newDocs(documents);
  const firsts = [];
  for (let i = 0; i < docs.length; i += 50) {
    firsts.push(...(await Promise.all(docs.slice(i, i + 50).map((d) => connect(server, d.name, d.token)))));
  }
  const filler = 'Partnership clause. '.repeat(Math.ceil((kilobytes * 1024) / 20)).slice(0, kilobytes * 1024);
  for (const c of firsts) benchText(c.doc).insert(0, filler);
  const seconds = [];
  for (let i = 0; i < docs.length; i += 50) {
    seconds.push(...(await Promise.all(docs.slice(i, i + 50).map((d) => connect(server, d.name, d.token)))));
  }
  await until(() => seconds.every((c) => typedText(c.doc).length === filler.length), 60_000);
  const full = await metrics(`gc${snapshot('full')}`);
  for (const c of [...firsts, ...seconds]) c.destroy();
  const docCount = async () => (isOurs(server.kind) ? (await (await fetch(`${server.http}/api/health`)).json()).rooms : (await metrics()).docs);
  const t0 = performance.now();
  let unloaded = true;
  for (;;) {
    if ((await docCount()) === 0) break;
    if (performance.now() - t0 > 30_000) {
      unloaded = false;
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const after = await metrics(`gc${snapshot('left')}`);
  return {
    documents,
    kilobytes,
    heapPerDocumentKB: (full.heapUsed - base) / documents / 1024,
    heapPerConnectionKB: (full.heapUsed - base) / (2 * documents) / 1024,
    rssMB: full.rss / 2 ** 20,
    unloaded,
    unloadMs: performance.now() - t0,
    heapLeftAfterLeaveKB: (after.heapUsed - base) / 1024,
  };
}

async function coldLoad({ name, token }) {
  await metrics('reset');
  const t0 = performance.now();
  const c = await connect(server, name, token);
  const ms = performance.now() - t0;
  const length = typedText(c.doc).length;
  const m = await metrics();
  c.destroy();
  return { connectToSyncedMs: ms, length, longestStallMs: m.delayMs.max };
}

/**
 * Newcomers join a long, much-reworded agreement while two people type in it: each newcomer
 * holds nothing, so the server sends it the whole state (about 1 MB). What the typists feel is
 * the server's event loop while it answers: its longest stall and the keystrokes' latency.
 * The newcomers speak the protocol by hand and never apply what they get: applying 1 MB in this
 * process would delay the arrival stamps of the keystrokes measured here.
 */
async function joining({ name, token, joiners, joinEveryMs, maxConcurrent, typingPerSecond, correctEvery = 0, returning }) {
  const wsList = server.wsList ?? [server.ws];
  // Returning visitors hold the stored text (run.mjs stores rewordedAgreement(40, 5): it is deterministic).
  const held = returning ? heldText(rewordedAgreement(returning.pages, returning.rounds)) : undefined;
  const typists = [];
  for (let i = 0; i < 3; i++) typists.push(await connect({ ...server, ws: wsList[i % wsList.length] }, name, token));
  const probe = latencyProbe(typists);
  const writing = typists.slice(0, 2).map((c) => ({ doc: c.doc, text: benchText(c.doc) }));
  await metrics('reset');
  const cpu0 = serverCpuTicks();
  const started = performance.now();
  const typist = typeOnTheClock(writing, typingPerSecond, probe, { correctEvery });
  const joinMs = [];
  const joinBytes = [];
  let running = 0;
  const joins = [];
  for (let i = 0; i < joiners; i++) {
    await until(() => running < maxConcurrent, 120_000);
    running++;
    const t0 = performance.now();
    joins.push(
      joinOnce(wsList[i % wsList.length], name, token, held).then((bytes) => {
        joinMs.push(performance.now() - t0);
        joinBytes.push(bytes);
        running--;
      }),
    );
    await new Promise((r) => setTimeout(r, joinEveryMs));
  }
  await Promise.all(joins);
  // A second of typing after the last newcomer, so late keystrokes are counted too.
  const typed = await stopTyping(typist, typists, probe, started, cpu0);
  joinMs.sort((a, b) => a - b);
  joinBytes.sort((a, b) => a - b);
  return {
    joiners,
    ...typed.keystrokes,
    joinP50Ms: percentile(joinMs, 50),
    joinMaxMs: joinMs.at(-1) ?? null,
    joinKB: Math.round(percentile(joinBytes, 50) / 1024),
    longestStallMs: typed.longestStallMs,
    serverCpuPercent: typed.serverCpuPercent,
  };
}

/**
 * Ends a scenario's typing: a second more of it (late keystrokes counted too), then the keystrokes' latencies, the
 * server's longest event-loop stall and its CPU share since `started`; the clients go.
 */
async function stopTyping(typist, typists, probe, started, cpu0) {
  await new Promise((r) => setTimeout(r, 1000));
  typist.stop();
  const elapsed = (performance.now() - started) / 1000;
  const serverCpuPercent = (serverCpuTicks() - cpu0) / elapsed;
  const m = await metrics();
  await new Promise((r) => setTimeout(r, 500));
  const latencies = [...probe.latencies].sort((a, b) => a - b);
  for (const c of typists) c.destroy();
  return {
    keystrokes: { keystrokes: latencies.length, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) ?? null },
    longestStallMs: m.delayMs.max,
    serverCpuPercent,
  };
}

/**
 * What a returning visitor holding `doc` sends, as the stock y-websocket client does: its state vector in its
 * SyncStep1, and in its answer to the server's SyncStep1 what the server lacks (nothing) with its whole delete set.
 */
function heldText(doc) {
  const stateVector = Y.encodeStateVector(doc);
  return { stateVector, answer: Y.encodeStateAsUpdate(doc, stateVector) };
}

/**
 * One newcomer: asks for the state and resolves when the whole answer has arrived. Holding nothing
 * unless `held` (a returning visitor: {@link heldText}), which also answers the server's SyncStep1.
 */
function joinOnce(ws, name, token, held) {
  const hocuspocus = server.kind.startsWith('hocuspocus');
  const url = hocuspocus ? ws : `${ws}/${name}${token ? `?token=${token}` : ''}`;
  return new Promise((resolve, reject) => {
    const socket = new BrowserLikeSocket(url);
    socket.binaryType = 'arraybuffer';
    const frame = (write) => {
      const encoder = encoding.createEncoder();
      if (hocuspocus) encoding.writeVarString(encoder, name);
      write(encoder);
      socket.send(encoding.toUint8Array(encoder));
    };
    socket.on('open', () => {
      // Hocuspocus wants its authentication message before anything else of a document.
      if (hocuspocus)
        frame((e) => {
          encoding.writeVarUint(e, 2);
          encoding.writeVarUint(e, 0);
          encoding.writeVarString(e, 'bench');
        });
      frame((e) => {
        encoding.writeVarUint(e, 0);
        encoding.writeVarUint(e, 0);
        encoding.writeVarUint8Array(e, held?.stateVector ?? Y.encodeStateVector(new Y.Doc()));
      });
    });
    socket.on('message', (data) => {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      if (hocuspocus) decoding.readVarString(decoder);
      if (decoding.readVarUint(decoder) !== 0) return;
      const syncType = decoding.readVarUint(decoder);
      if (syncType === 0 && held)
        frame((e) => {
          encoding.writeVarUint(e, 0);
          encoding.writeVarUint(e, 1);
          encoding.writeVarUint8Array(e, held.answer);
        });
      if (syncType !== 1) return;
      // Bytes as they came over the wire (compressed, when the server compresses), headers included.
      const wireBytes = socket._socket.bytesRead;
      socket.close();
      resolve(wireBytes);
    });
    socket.on('error', reject);
    socket.on('close', (code) => reject(new Error(`newcomer closed with ${code} before its answer`)));
  });
}

/**
 * Suggestions on a long, much-reworded agreement while two people type in it (ours only: the peers have
 * none): a suggestion made and accepted every `everyMs`, `count` times, as the broker, each in a paragraph
 * of its own, with a redline of the live text with its open suggestions first. The first of them finds no
 * copy of the text on the server (a fresh server, as after two quiet minutes); every later one finds the
 * text changed by a keystroke or two. What the typists feel (keystroke latency, the server's longest stall)
 * and how long each answer took.
 */
async function suggesting({ name, token, count, everyMs, typingPerSecond }) {
  const typists = [];
  for (let i = 0; i < 3; i++) typists.push(await connect(server, name, token));
  const probe = latencyProbe(typists);
  const writing = typists.slice(0, 2).map((c) => ({ doc: c.doc, text: benchText(c.doc) }));
  const paragraphs = typists[2].doc.getXmlFragment('content').toArray();
  const call = async (method, path, body) => {
    const res = await fetch(`${server.http}/api/agreements/${name}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body && JSON.stringify(body),
    });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.headers.get('content-type')?.includes('json') ? res.json() : res.arrayBuffer();
  };
  const position = (text, index, assoc) => Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(text, index, assoc))).toString('base64');
  await metrics('reset');
  const cpu0 = serverCpuTicks();
  const started = performance.now();
  const typist = typeOnTheClock(writing, typingPerSecond, probe);
  const answerMs = [];
  const timed = async (work) => {
    const t0 = performance.now();
    await work();
    answerMs.push(performance.now() - t0);
  };
  await timed(() => call('GET', '/redline'));
  for (let i = 0; i < count; i++) {
    await new Promise((r) => setTimeout(r, everyMs));
    const text = paragraphs[10 + i * 7].get(0);
    const anchor = { start: position(text, 5, 0), end: position(text, 12, -1) };
    await timed(async () => {
      const { suggestion } = await call('POST', '/suggestions', { anchor, text: 'jointly' });
      await call('POST', `/suggestions/${suggestion.id}/accept`);
    });
  }
  const typed = await stopTyping(typist, typists, probe, started, cpu0);
  const later = answerMs.slice(1).sort((a, b) => a - b);
  return {
    ...typed.keystrokes,
    firstAnswerMs: answerMs[0],
    answerP50Ms: percentile(later, 50),
    answerMaxMs: later.at(-1) ?? null,
    longestStallMs: typed.longestStallMs,
    serverCpuPercent: typed.serverCpuPercent,
  };
}

const run = { typing, manyDocuments, coldLoad, joining, suggesting }[scenario];
const result = await run(params);
process.stdout.write(JSON.stringify(result) + '\n');
process.exit(0);
