import { appendFileSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { afterEach, beforeEach, expect } from 'vitest';

// TEST_CPU_REPORT=<file> (vitest.config.ts loads this file only then): one JSON line per test
// with the CPU seconds its worker's process tree spent on it (the worker with its in-process
// servers, child servers, its Chromium and every renderer), and its wall time. Hooks are not
// counted. Summed by scripts/test-cpu-summary.mjs. Linux only (it reads /proc).
const report = process.env.TEST_CPU_REPORT as string;
if (!existsSync('/proc/self/stat')) throw new Error('TEST_CPU_REPORT reads /proc: Linux only');

const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU seconds of `root` and every living descendant, each with its reaped children's (the
 * `cutime`/`cstime` of /proc/<pid>/stat): a renderer that exited counts in the zygote that waited for it.
 */
function treeCpuSeconds(root: number): number {
  const parentOf = new Map<number, number>();
  const cpuOf = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // After the command's closing parenthesis: state, ppid, …, utime (14th field), stime, cutime, cstime.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parentOf.set(Number(name), Number(fields[1]));
      cpuOf.set(Number(name), (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS_PER_SECOND);
    } catch {
      // exited while being read
    }
  }
  let total = 0;
  for (const [pid, seconds] of cpuOf) {
    for (let at: number | undefined = pid; at !== undefined && at > 1; at = parentOf.get(at)) {
      if (at === root) {
        total += seconds;
        break;
      }
    }
  }
  return total;
}

let cpuAtStart = 0;
let startedAt = 0;
beforeEach(() => {
  cpuAtStart = treeCpuSeconds(process.pid);
  startedAt = Date.now();
});
afterEach(() => {
  const { testPath, currentTestName } = expect.getState();
  const line = {
    file: testPath?.replace(/.*\/tests\//, ''),
    test: currentTestName,
    cpu: Number((treeCpuSeconds(process.pid) - cpuAtStart).toFixed(2)),
    wall: (Date.now() - startedAt) / 1000,
  };
  appendFileSync(report, `${JSON.stringify(line)}\n`);
});
