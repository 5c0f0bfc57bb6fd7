import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bundled, bundledWorker } from './bundles';
import { waitFor } from './poll';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * `server/src/main.ts` bundled with its packages (bundles.ts), and beside it the document worker it
 * starts from `./worker.boot.mjs` (DocumentWorker), bundled too: a server's start cost 2.0 s of CPU
 * with its packages left to node_modules, 1.3 s bundled, which matters for the tests that start twenty.
 */
async function serverEntry(): Promise<string> {
  const [main] = await Promise.all([bundled('server/src/main.ts', 'main.mjs'), bundledWorker()]);
  return main;
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
  const address: string = await waitFor<string>(() => (exitedEarly ? 'exited' : (/listening on (http:\/\/\S+)/.exec(output)?.[1] ?? '')), {
    timeoutMs,
    intervalMs: 20,
    what: 'child server to listen',
  });
  // At once, with what it said first (the error, before its stack): a throw inside the wait was only retried.
  if (address === 'exited') throw new Error(`server exited before listening: ${output.slice(0, 1500)}`);
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
