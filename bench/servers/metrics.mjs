// Preloaded into every server under test (node --import): a tiny HTTP endpoint on
// METRICS_PORT with event-loop delay, CPU and memory (after a forced GC when ?gc=1).
// It keeps the servers' own code untouched and measures all of them the same way.
import { createServer } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';
import { isMainThread } from 'node:worker_threads';

const port = Number(process.env.METRICS_PORT);
// Worker threads inherit the preload: only the main thread serves (a second listen on the port
// threw in every worker of ours, which then fell back to doing its work on the main thread).
if (port && isMainThread) {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.searchParams.has('gc') && globalThis.gc) {
      globalThis.gc();
      globalThis.gc();
    }
    // ?snapshot=/path/x.heapsnapshot: a heap snapshot (after the GC above) for bench/heapDiff.mjs.
    if (url.searchParams.get('snapshot')) writeHeapSnapshot(url.searchParams.get('snapshot'));
    const memory = process.memoryUsage();
    const body = {
      pid: process.pid,
      delayMs: { p50: delay.percentile(50) / 1e6, p99: delay.percentile(99) / 1e6, max: delay.max / 1e6 },
      cpuUs: process.cpuUsage(),
      heapUsed: memory.heapUsed,
      rss: memory.rss,
      docs: globalThis.__benchDocCount?.() ?? null,
    };
    if (url.searchParams.has('reset')) delay.reset();
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(body));
  }).listen(port, '127.0.0.1');
}
