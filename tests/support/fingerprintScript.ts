import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

/**
 * Saves `text` as `name` in a temporary folder and runs the checker on it: its exit code (0 when
 * both checks hold) and what it printed, for tests that look at a failing check too.
 */
export async function checkExportFile(name: string, text: string): Promise<{ code: number; out: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'cg-fingerprint-'));
  try {
    await writeFile(join(dir, name), text);
    return { code: 0, out: (await runFingerprint(join(dir, name))).stdout };
  } catch (err) {
    const failed = err as { code: number; stdout: string };
    return { code: failed.code, out: failed.stdout };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
