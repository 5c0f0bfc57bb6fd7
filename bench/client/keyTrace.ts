// npx tsx bench/client/keyTrace.ts bench/profiles/client-40p-1x.trace.json
// From a `npm run bench -- client --trace` run: the main thread's work per keystroke, split into the
// task that handles the keystroke and the frame task that shows it, by Chromium trace event (self
// time). Run it on a 1-page and a 40-page trace to see what grows with the agreement's length.
import { readFileSync } from 'node:fs';
import type { TraceEvent } from './trace';

const file = process.argv[2];
const { traceEvents } = JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: TraceEvent[] };
const main = traceEvents.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
if (!main) throw new Error(`${file}: no renderer main thread`);
const events = traceEvents
  .filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined)
  .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
const tasks = events.filter((e) => e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask');
const keydowns = events.filter((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'keydown');
const end = (e: TraceEvent) => e.ts + (e.dur ?? 0);

/** Adds each event's self time (its duration less that of the events nested directly in it) under `task`. */
function addSelfTimes(task: TraceEvent, into: Map<string, number>): void {
  const stack: TraceEvent[] = [];
  for (const e of events) {
    if (e.ts < task.ts || end(e) > end(task)) continue;
    while (stack.length && end(stack[stack.length - 1]) <= e.ts) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) into.set(parent.name, (into.get(parent.name) ?? 0) - (e.dur ?? 0));
    into.set(e.name, (into.get(e.name) ?? 0) + (e.dur ?? 0));
    stack.push(e);
  }
}

const keyTask = new Map<string, number>();
const frameTask = new Map<string, number>();
for (const keydown of keydowns) {
  const i = tasks.findIndex((t) => t.ts <= keydown.ts && end(t) >= keydown.ts);
  if (i < 0) continue;
  addSelfTimes(tasks[i], keyTask);
  // The frame: the next task of a millisecond or more (the ones between are empty or tiny).
  const frame = tasks.slice(i + 1, i + 6).find((t) => (t.dur ?? 0) >= 1000);
  if (frame) addSelfTimes(frame, frameTask);
}
for (const [label, times] of [
  ['the task handling the keystroke', keyTask],
  ['the frame after it', frameTask],
] as const) {
  const rows = [...times.entries()].sort((a, b) => b[1] - a[1]);
  const total = rows.reduce((n, [, us]) => n + Math.max(0, us), 0);
  const perKey = (us: number) => (us / 1000 / keydowns.length).toFixed(2);
  console.log(`${label}: ${perKey(total)} ms per keystroke (${keydowns.length} keystrokes)`);
  for (const [name, us] of rows.slice(0, 14)) console.log(`  ${perKey(us).padStart(6)}  ${name}`);
}
