// Preloaded into a child server by the hostile tests (NODE_OPTIONS=--import), never by the
// app itself: reports for each 100 ms the longest event-loop delay (wall clock), the most CPU
// the main thread spent between two turns of the loop, and the RSS, measured inside the server
// so the test process's own lag does not count. The wall-clock delay also counts time the
// process waited for a core on a shared machine; the CPU figure does not: it is the main
// thread's own time on a core (Linux schedstat, in ns), so it is the work one stretch of
// synchronous code asked for, whoever else wanted the core.
import { openSync, readSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';

// A preload runs in every worker thread too. There, its ticks stop while a document job runs,
// and the main thread's CPU read between two of them (schedstat names the main thread) summed
// all the main thread did meanwhile: a 300 ms job reported as a 60 to 180 ms "stall".
if (isMainThread) monitor();

function monitor() {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();

  const schedstat = `/proc/self/task/${process.pid}/schedstat`;
  /** The main thread's CPU time in ns; without schedstat, the process's (worker threads included: an overestimate). */
  const threadCpuNs = (() => {
    try {
      // One open file read again from its start: a tick costs one read, not an open and a close.
      const fd = openSync(schedstat, 'r');
      const buffer = Buffer.alloc(128);
      return () => {
        const length = readSync(fd, buffer, 0, buffer.length, 0);
        return Number(buffer.toString('latin1', 0, length).split(' ')[0]);
      };
    } catch {
      return () => {
        const { user, system } = process.cpuUsage();
        return (user + system) * 1000;
      };
    }
  })();
  let lastCpu = threadCpuNs();
  let maxCpuNs = 0;
  // A tick per turn of the loop (at most every 2 ms): the CPU between two ticks is one stretch of work.
  const tick = setInterval(() => {
    const now = threadCpuNs();
    maxCpuNs = Math.max(maxCpuNs, now - lastCpu);
    lastCpu = now;
  }, 2);
  tick.unref();

  const timer = setInterval(() => {
    const maxMs = Math.round(histogram.max / 1e6);
    histogram.reset();
    const cpuMs = Math.round(maxCpuNs / 1e6);
    maxCpuNs = 0;
    process.stderr.write(`[loop] max=${maxMs} cpu=${cpuMs} rss=${Math.round(process.memoryUsage.rss() / 1048576)}\n`);
  }, 100);
  timer.unref();
}
