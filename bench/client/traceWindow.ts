// npx tsx bench/client/traceWindow.ts bench/profiles/load-timeline-1.trace.json FROM_MS TO_MS [MIN_MS]
// Every main-thread task of a load trace between two moments (the page's clock), each with the
// work items inside it of MIN_MS or more: what the page did while waiting on something, which the
// long-task list (over 50 ms only) does not show.
import { readFileSync } from 'node:fs';
import { loadedPageMainThread, type TraceEvent } from './trace';

const [file, fromArg, toArg, minArg = '2'] = process.argv.slice(2);
const page = loadedPageMainThread(JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: TraceEvent[] });
if (!page) throw new Error('no navigation in the trace');
const { onMain, at } = page;
const [from, to, min] = [Number(fromArg), Number(toArg), Number(minArg) * 1000];
let busy = 0;
for (const task of onMain.filter((e) => e.name === 'RunTask' && at(e.ts) >= from && at(e.ts) <= to)) {
  busy += (task.dur ?? 0) / 1000;
  if ((task.dur ?? 0) < min) continue;
  const end = task.ts + (task.dur ?? 0);
  console.log(`${at(task.ts).toFixed(1).padStart(8)}  task ${((task.dur ?? 0) / 1000).toFixed(1)} ms`);
  for (const e of onMain.filter((e) => e !== task && e.ts >= task.ts && e.ts + (e.dur ?? 0) <= end && (e.dur ?? 0) >= min)) {
    const data = e.args?.data ?? {};
    const what = [data.functionName, data.url ? String(data.url).split('/').pop() : undefined, data.type].filter(Boolean).join(' ');
    console.log(`            +${(at(e.ts) - at(task.ts)).toFixed(1).padStart(6)} ${((e.dur ?? 0) / 1000).toFixed(1).padStart(6)} ms  ${e.name} ${what}`);
  }
}
console.log(`main thread busy ${busy.toFixed(0)} ms of ${to - from} ms`);
