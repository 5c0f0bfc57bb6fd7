// `npm test`: the whole suite in two vitest runs side by side. The files that only wait for
// real timeouts (vitest.config.ts, WAITING_FILES) run in a run of their own, so they do not
// each hold one of the two workers of the main run for a minute while using no CPU. The
// waiting run's report is printed after the main one; the exit code is the first failure's.
// With arguments (`npm test -- tests/e2e/typing.test.ts`), one plain vitest run takes them.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const vitest = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));
const args = process.argv.slice(2);

/** Runs vitest in one group; its output goes to this process's, or is kept when `keep`. */
function run(group, keep) {
  const env = { ...process.env };
  if (group) env.TEST_GROUP = group;
  else delete env.TEST_GROUP;
  const child = spawn(process.execPath, [vitest, 'run', ...args], { cwd: root, env, stdio: ['ignore', keep ? 'pipe' : 'inherit', keep ? 'pipe' : 'inherit'] });
  const kept = [];
  if (keep) {
    child.stdout.on('data', (chunk) => kept.push(chunk));
    child.stderr.on('data', (chunk) => kept.push(chunk));
  }
  return new Promise((resolve) => {
    child.once('error', (err) => resolve({ code: 1, output: `${err.stack}\n` }));
    child.once('exit', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output: Buffer.concat(kept).toString() }));
  });
}

if (args.length > 0) {
  process.exitCode = (await run(undefined, false)).code;
} else {
  const waiting = run('waiting', true);
  const rest = await run('rest', false);
  const waited = await waiting;
  process.stdout.write(`\n--- the files that wait for real timeouts (run beside the others)\n${waited.output}`);
  process.exitCode = rest.code || waited.code;
}
