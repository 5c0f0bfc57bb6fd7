import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { waitFor } from './poll';

const root = fileURLToPath(new URL('../..', import.meta.url));
let bundled: Promise<string> | undefined;

/**
 * `server/src/main.ts` bundled once per test worker by esbuild (the transformer tsx uses), its
 * packages in the bundle too: a server then starts on about half the CPU of tsx resolving every
 * module, and on two thirds of a bundle that leaves the packages to node_modules (1.3 against 2.0 s
 * of CPU a start here, its module lookups and reads gone), which matters for the tests that start
 * twenty. It sits under node_modules/.cache so what it still imports (the document worker's
 * source, optional packages) resolves from the project's node_modules.
 */
function serverEntry(): Promise<string> {
  bundled ??= (async () => {
    const cache = join(root, 'node_modules', '.cache');
    removeBundlesOfEndedProcesses(cache);
    const dir = join(cache, `cg-server-${process.pid}`);
    const outfile = join(dir, 'main.mjs');
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    await build({
      entryPoints: [join(root, 'server/src/main.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      // The CommonJS packages inside call require (node's own modules, optional ones in a try).
      banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
      outfile,
      logLevel: 'warning',
    });
    // The diff worker is started from a file beside the code (DocumentWorker): point it at the source.
    const worker = pathToFileURL(join(root, 'server/src/features/snapshots/diff/worker.boot.mjs')).href;
    await writeFile(join(dir, 'worker.boot.mjs'), `await import(${JSON.stringify(worker)});\n`);
    return outfile;
  })();
  return bundled;
}

/**
 * A test worker that vitest ends with a signal never runs its 'exit' handler, and its bundle
 * stayed behind (23 of them after a few runs): those of processes no longer running go.
 */
function removeBundlesOfEndedProcesses(cache: string): void {
  let names: string[];
  try {
    names = readdirSync(cache);
  } catch {
    return; // no cache folder yet
  }
  for (const name of names) {
    const pid = Number(/^cg-server-(\d+)$/.exec(name)?.[1]);
    if (!pid || pid === process.pid || isRunning(pid)) continue;
    rmSync(join(cache, name), { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: running, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface ChildServer {
  process: ChildProcess;
  http: string;
  ws: string;
  /** Resolves once the process has exited (after a kill or a stop). */
  exited: Promise<void>;
  /** Everything the process printed. */
  output(): string;
  /** Sends a signal and resolves with the exit code (null when killed by the signal). */
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

/** Runs the server (`server/src/main.ts`, bundled) in its own process on a free port (PORT=0), as `npm run serve` would. */
export async function startChildServer(dataDir: string, env: Record<string, string> = {}, timeoutMs = 30_000): Promise<ChildServer> {
  const child = spawn(process.execPath, [await serverEntry()], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      AUTH_SECRET: 'test-secret-test-secret-test-secret',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exitCode = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let exitedEarly = false;
  void exitCode.then(() => (exitedEarly = true));
  const address: string = await waitFor<string>(
    () => {
      if (exitedEarly) throw new Error(`server exited before listening: ${output.slice(-500)}`);
      return /listening on (http:\/\/\S+)/.exec(output)?.[1] ?? '';
    },
    { timeoutMs, intervalMs: 20, what: 'child server to listen' },
  );
  return {
    process: child,
    http: address,
    ws: `${address.replace('http', 'ws')}/collab`,
    exited: exitCode.then(() => undefined),
    output: () => output,
    kill(signal) {
      child.kill(signal);
      return exitCode;
    },
  };
}
