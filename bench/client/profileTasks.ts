// npx tsx bench/client/profileTasks.ts bench/profiles/client-40p-3x.cpuprofile [dist/assets]
// What a person feels in a CPU profile from `npm run bench -- client --profile`: the longest
// stretches of work (samples with no idle between them, roughly one task each), and for all
// of them together and for the longest, the functions with the most inclusive time, mapped
// back to the sources through the build's hidden source maps. Shares, not absolute times,
// are what to compare on a shared machine.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { SourceMapConsumer, type RawSourceMap } from 'source-map-js';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  parent?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const [file, assets = 'dist/assets'] = process.argv.slice(2);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
for (const n of profile.nodes) for (const c of n.children ?? []) (nodes.get(c) as ProfileNode).parent = n.id;

const maps = new Map<string, SourceMapConsumer | null>();
function original(frame: CallFrame): string {
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) return name;
  const script = basename(new URL(frame.url, 'http://x').pathname);
  if (!maps.has(script)) {
    const path = join(assets, `${script}.map`);
    maps.set(script, existsSync(path) ? new SourceMapConsumer(JSON.parse(readFileSync(path, 'utf8')) as RawSourceMap) : null);
  }
  const map = maps.get(script);
  if (!map) return `${name} ${script}:${frame.lineNumber + 1}`;
  const pos = map.originalPositionFor({ line: frame.lineNumber + 1, column: frame.columnNumber });
  if (!pos.source) return `${name} ${script}:${frame.lineNumber + 1}`;
  const source = pos.source.replace(/^.*node_modules\//, '').replace(/^(\.\.\/)+/, '');
  return `${pos.name ?? name} ${source}:${pos.line}`;
}

const IDLE = new Set(['(idle)', '(program)', '(garbage collector)']);
const labels = new Map<number, string>();
const label = (id: number) => {
  let l = labels.get(id);
  if (l === undefined) labels.set(id, (l = original((nodes.get(id) as ProfileNode).callFrame)));
  return l;
};
/** The distinct functions on a sample's stack (recursion counted once). */
function stack(id: number): string[] {
  const seen = new Set<string>();
  for (let n: ProfileNode | undefined = nodes.get(id); n; n = n.parent === undefined ? undefined : nodes.get(n.parent)) {
    if (n.callFrame.functionName === '(root)') continue;
    seen.add(label(n.id));
  }
  return [...seen];
}

// Split the samples into stretches of script: a task ends where an idle sample comes.
interface Stretch {
  start: number;
  ms: number;
  samples: { id: number; ms: number }[];
}
const stretches: Stretch[] = [];
let t = profile.startTime;
let current: Stretch | null = null;
for (let i = 0; i < profile.samples.length; i++) {
  t += profile.timeDeltas[i];
  const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
  const name = (nodes.get(profile.samples[i]) as ProfileNode).callFrame.functionName;
  if (name === '(idle)') {
    current = null;
    continue;
  }
  if (!current) stretches.push((current = { start: t, ms: 0, samples: [] }));
  current.ms += ms;
  current.samples.push({ id: profile.samples[i], ms });
}

function inclusive(samples: { id: number; ms: number }[]): [string, number][] {
  const total = new Map<string, number>();
  for (const s of samples) for (const f of stack(s.id)) total.set(f, (total.get(f) ?? 0) + s.ms);
  return [...total.entries()].sort((a, b) => b[1] - a[1]);
}
function selfTimes(samples: { id: number; ms: number }[]): [string, number][] {
  const total = new Map<string, number>();
  for (const s of samples) {
    const n = nodes.get(s.id) as ProfileNode;
    const f = IDLE.has(n.callFrame.functionName) ? n.callFrame.functionName : label(s.id);
    total.set(f, (total.get(f) ?? 0) + s.ms);
  }
  return [...total.entries()].sort((a, b) => b[1] - a[1]);
}
const pct = (ms: number, of: number) => `${((100 * ms) / of).toFixed(1).padStart(5)} %`;
const print = (rows: [string, number][], of: number, count: number) =>
  rows
    .slice(0, count)
    .map(([f, ms]) => `  ${pct(ms, of)}  ${ms.toFixed(0).padStart(6)} ms  ${f}`)
    .join('\n');

const busy = stretches.flatMap((s) => s.samples);
const busyMs = busy.reduce((n, s) => n + s.ms, 0);
const sorted = [...stretches].sort((a, b) => b.ms - a.ms);
const wall = (t - profile.startTime) / 1000;
console.log(`${file}: ${wall.toFixed(0)} ms profiled, ${busyMs.toFixed(0)} ms busy in ${stretches.length} stretches`);
console.log(
  `longest stretches (ms): ${sorted
    .slice(0, 15)
    .map((s) => s.ms.toFixed(0))
    .join(', ')}`,
);
const over = (limit: number) => stretches.filter((s) => s.ms > limit);
for (const limit of [16, 50, 100])
  console.log(
    `  over ${limit} ms: ${over(limit).length} (${over(limit)
      .reduce((n, s) => n + s.ms, 0)
      .toFixed(0)} ms)`,
  );
console.log(`\nall busy time, inclusive:\n${print(inclusive(busy), busyMs, 45)}`);
console.log(`\nall busy time, self:\n${print(selfTimes(busy), busyMs, 25)}`);
const long = sorted.slice(0, 10).flatMap((s) => s.samples);
const longMs = long.reduce((n, s) => n + s.ms, 0);
console.log(`\nthe 10 longest stretches (${longMs.toFixed(0)} ms), inclusive:\n${print(inclusive(long), longMs, 40)}`);
const each = Number(process.env.STRETCHES ?? 1);
for (const stretch of sorted.slice(0, each))
  console.log(
    `\nstretch at ${((stretch.start - profile.startTime) / 1000).toFixed(0)} ms (${stretch.ms.toFixed(0)} ms), inclusive:\n${print(inclusive(stretch.samples), stretch.ms, Number(process.env.ROWS ?? 30))}`,
  );
// FROM=ms TO=ms: every stretch begun in that window of the profile (its clock starts about when the page was asked
// for), in order, each with its heaviest functions: what ran after a moment such as usable, however short.
if (process.env.FROM !== undefined) {
  const [from, to] = [Number(process.env.FROM), Number(process.env.TO ?? Infinity)];
  for (const stretch of stretches) {
    const at = (stretch.start - profile.startTime) / 1000;
    if (at < from || at > to) continue;
    console.log(
      `\nstretch at ${at.toFixed(0)} ms (${stretch.ms.toFixed(0)} ms), inclusive:\n${print(inclusive(stretch.samples), stretch.ms, Number(process.env.ROWS ?? 12))}`,
    );
  }
}
// FOCUS="flush client/src/session/frameBatch.ts" prints the inclusive times of what runs under that
// function (matched as a prefix of its mapped label): the cost of one path, such as a remote
// keystroke's frame or a local keystroke's input event, split by what it calls.
const focus = process.env.FOCUS;
if (focus) {
  const under = busy.filter((s) => stack(s.id).some((f) => f.startsWith(focus)));
  const underMs = under.reduce((n, s) => n + s.ms, 0);
  console.log(`\nunder ${focus} (${underMs.toFixed(0)} ms), inclusive:\n${print(inclusive(under), underMs, Number(process.env.ROWS ?? 60))}`);
}
// MATCH="client/src" lists, over all busy time, the inclusive times of the functions whose mapped
// label contains it: what each of our own components or hooks costs, wherever it ran.
const match = process.env.MATCH;
if (match) {
  const rows = inclusive(busy).filter(([f]) => f.includes(match));
  console.log(`\nfunctions matching ${match}, inclusive over all busy time:\n${print(rows, busyMs, Number(process.env.ROWS ?? 60))}`);
}
