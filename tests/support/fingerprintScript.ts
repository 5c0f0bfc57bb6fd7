import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Runs the documented checker (`npx tsx scripts/fingerprint.ts <file>`) on `file`: the same
 * script through the same tsx loader, in one node process. npx and tsx's own CLI (which starts
 * a second node) cost about a second of CPU per call and check nothing of the script.
 * Rejects on a non-zero exit, the error carrying `code` and `stdout`. snapshots.test.ts keeps
 * running the documented command itself, so the README's line stays checked.
 */
export function runFingerprint(file: string, env?: NodeJS.ProcessEnv): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, ['--import', 'tsx', 'scripts/fingerprint.ts', file], env ? { env } : {});
}
