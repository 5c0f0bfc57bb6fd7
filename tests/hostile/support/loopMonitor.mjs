// Preloaded into a child server by the hostile tests (NODE_OPTIONS=--import): reports the
// longest event-loop delay and the RSS of each 100 ms, measured inside the server so the
// test process's own lag does not count. On a shared machine the delay also counts time the
// process waited for a core.
import { monitorEventLoopDelay } from 'node:perf_hooks';

const histogram = monitorEventLoopDelay({ resolution: 5 });
histogram.enable();
const timer = setInterval(() => {
  const maxMs = Math.round(histogram.max / 1e6);
  histogram.reset();
  process.stderr.write(`[loop] max=${maxMs} rss=${Math.round(process.memoryUsage.rss() / 1048576)}\n`);
}, 100);
timer.unref();
