import type { CDPSession } from 'playwright-core';

/**
 * Where the renderer's main thread spent a typing window, by Chromium trace event (script,
 * style, layout, pre-paint, paint, layerize, GC…): what a CPU profile lumps into "(program)".
 */
export interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  /** `src_func`: where a task was posted from (a scheduler task's, e.g. autofill's `ExtractFormsAndNotifyPasswordAutofillAgent`). */
  args?: { name?: string; data?: Record<string, unknown>; src_func?: string };
}

/** The categories that carry the main thread's work items. */
export const TRACE_CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8', 'blink'];
/** For a page load: also the tasks themselves and the navigation's start (longTasksInTrace). */
export const LOAD_TRACE_CATEGORIES = [...TRACE_CATEGORIES, 'toplevel', 'blink.user_timing', 'loading'];

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

/**
 * The events of the main thread of the renderer that loaded the page (the trace holds others), in
 * order, and `at`: a trace timestamp on the page's clock (ms from the navigation's start, where the
 * page's performance.now() counts from). Null when the trace holds no navigation.
 */
export function loadedPageMainThread(trace: { traceEvents: TraceEvent[] }): { onMain: TraceEvent[]; at: (ts: number) => number } | null {
  const events = trace.traceEvents;
  const nav = events.find((e) => e.name === 'navigationStart' && String(e.args?.data?.documentLoaderURL ?? '').startsWith('http'));
  const main = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && e.pid === nav?.pid);
  if (!nav || !main) return null;
  const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts);
  return { onMain, at: (ts: number) => (ts - nav.ts) / 1000 };
}

/**
 * The main thread's tasks over 50 ms before `untilMs` (the page's clock, from navigation), each
 * with the work items inside it that took 5 ms or more (scripts with their function and file,
 * timers, frames, style, layout): what made each long task long.
 */
export function longTasksInTrace(trace: { traceEvents: TraceEvent[] }, untilMs: number): string {
  const page = loadedPageMainThread(trace);
  if (!page) return 'no navigation in the trace';
  const { onMain, at } = page;
  const lines: string[] = [];
  for (const task of onMain.filter((e) => e.name === 'RunTask' && (e.dur ?? 0) > 50_000 && at(e.ts) < untilMs)) {
    const end = task.ts + (task.dur ?? 0);
    lines.push(`  task at ${at(task.ts).toFixed(0)} ms: ${((task.dur ?? 0) / 1000).toFixed(0)} ms`);
    const inside = onMain.filter((e) => e !== task && e.ts >= task.ts && e.ts + (e.dur ?? 0) <= end && (e.dur ?? 0) >= 5_000);
    // Items of these kinds, nested ones too (a timer and the script it ran both show).
    for (const e of inside) {
      const data = e.args?.data ?? {};
      const what = [data.functionName, data.url ? String(data.url).split('/').pop() : undefined, data.type, data.timerId !== undefined ? `timer` : undefined]
        .filter(Boolean)
        .join(' ');
      if (
        !/^(FunctionCall|EvaluateScript|v8.compile|v8.evaluateModule|TimerFire|FireAnimationFrame|EventDispatch|UpdateLayoutTree|Layout|Paint|PrePaint|MajorGC|MinorGC|V8.GC.*|ParseHTML|RunMicrotasks|v8.run)$/.test(
          e.name,
        )
      )
        continue;
      const offset = ((e.ts - task.ts) / 1000).toFixed(0).padStart(3);
      lines.push(`      +${offset} ${((e.dur ?? 0) / 1000).toFixed(0).padStart(3)} ms  ${e.name} ${what}`);
    }
  }
  return lines.join('\n');
}

/**
 * Starts a Chromium trace through a page's DevTools session (a browser context of a person's own
 * profile has no Browser to trace with); the answer stops it and gives its events.
 */
export async function startTrace(cdp: CDPSession, categories: string[]): Promise<() => Promise<{ traceEvents: TraceEvent[] }>> {
  const traceEvents: TraceEvent[] = [];
  const collect = ({ value }: { value: object[] }) => traceEvents.push(...(value as TraceEvent[]));
  cdp.on('Tracing.dataCollected', collect);
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: categories }, transferMode: 'ReportEvents' });
  return async () => {
    const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
    await cdp.send('Tracing.end');
    await complete;
    cdp.off('Tracing.dataCollected', collect);
    return { traceEvents };
  };
}
