// `node scripts/test-cpu-summary.mjs cpu.jsonl [rows]`: the report TEST_CPU_REPORT wrote
// (tests/support/cpuReport.ts) summed by folder and by file, and its costliest tests.
// With two workers on two cores the suite is bound by CPU, so these are the figures that
// decide how long `npm test` takes, not the tests' durations (which include waiting).
import { readFileSync } from 'node:fs';

const [file, rowsArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node scripts/test-cpu-summary.mjs <report.jsonl> [rows]');
  process.exit(2);
}
const rows = Number(rowsArg ?? 20);
const tests = readFileSync(file, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((line) => JSON.parse(line));

/** `key` → summed CPU seconds, costliest first. */
function sumBy(key) {
  const sums = new Map();
  for (const test of tests) sums.set(key(test), (sums.get(key(test)) ?? 0) + test.cpu);
  return [...sums].sort((a, b) => b[1] - a[1]);
}
const seconds = (value) => value.toFixed(1).padStart(7);
const total = tests.reduce((sum, test) => sum + test.cpu, 0);

console.log(`${tests.length} tests, ${total.toFixed(0)} s of CPU (hooks not counted)\n\nby folder:`);
for (const [folder, cpu] of sumBy((test) => test.file.split('/')[0])) console.log(`${seconds(cpu)}  ${folder}`);
console.log('\nby file:');
for (const [name, cpu] of sumBy((test) => test.file).slice(0, rows)) console.log(`${seconds(cpu)}  ${name}`);
console.log('\ntests (CPU, wall):');
for (const test of [...tests].sort((a, b) => b.cpu - a.cpu).slice(0, rows)) {
  console.log(`${seconds(test.cpu)} ${seconds(test.wall)}  ${test.file} › ${test.test}`);
}
