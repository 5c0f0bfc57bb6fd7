/**
 * Where the renderer's main thread spent a typing window, by Chromium trace event (script,
 * style, layout, pre-paint, paint, layerize, GC…): what a CPU profile lumps into "(program)".
 */
interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

/** The categories that carry the main thread's work items. */
export const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink'];

/** Self time (ms) by event name on the renderer's main thread, heaviest first. */
export function mainThreadSelfTimes(trace: { traceEvents: TraceEvent[] }): [string, number][] {
  const events = trace.traceEvents;
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain');
  if (!main) return [];
  const complete = events
    .filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const self = new Map<string, number>();
  // Each event's self time is its duration less that of the events nested directly in it.
  const stack: { end: number; name: string }[] = [];
  for (const e of complete) {
    const end = e.ts + (e.dur ?? 0);
    while (stack.length && stack[stack.length - 1].end <= e.ts) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) self.set(parent.name, (self.get(parent.name) ?? 0) - (e.dur ?? 0) / 1000);
    self.set(e.name, (self.get(e.name) ?? 0) + (e.dur ?? 0) / 1000);
    stack.push({ end, name: e.name });
  }
  return [...self.entries()].sort((a, b) => b[1] - a[1]);
}

export function formatSelfTimes(times: [string, number][], perKeystroke: number, count = 20): string {
  const total = times.reduce((n, [, ms]) => n + Math.max(0, ms), 0);
  return times
    .slice(0, count)
    .map(
      ([name, ms]) =>
        `${ms.toFixed(0).padStart(7)} ms ${((100 * ms) / total).toFixed(1).padStart(5)} %  ${(ms / perKeystroke).toFixed(2).padStart(6)} ms/key  ${name}`,
    )
    .join('\n');
}
