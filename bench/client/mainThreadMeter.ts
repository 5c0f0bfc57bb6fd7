import type { CDPSession } from 'playwright-core';

/** The main thread's time spent since the meter started, ms. */
export interface MainThreadTime {
  /** Wall-clock time in tasks (Chromium's TaskDuration): what a person waits through. */
  busyMs: number;
  /**
   * CPU time of the main thread (ThreadTime): the work itself. A task the machine paused to run
   * something else (helpers' tests beside a benchmark) counts its pause in `busyMs` only, so this
   * is the figure to compare between runs on a machine that was not quiet.
   */
  cpuMs: number;
}

/** Starts measuring the page's main thread; the function returned reads the time spent since. */
export async function mainThreadMeter(cdp: CDPSession): Promise<() => Promise<MainThreadTime>> {
  const read = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const value = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0;
    return { task: value('TaskDuration'), thread: value('ThreadTime') };
  };
  const before = await read();
  return async () => {
    const after = await read();
    return { busyMs: (after.task - before.task) * 1000, cpuMs: (after.thread - before.thread) * 1000 };
  };
}
