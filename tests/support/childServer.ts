import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { waitFor } from './poll';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface ChildServer {
  process: ChildProcess;
  http: string;
  ws: string;
  /** Everything the process printed. */
  output(): string;
  kill(signal: NodeJS.Signals): Promise<number | null>;
}

/** Runs `server/src/main.ts` in its own process on a free port, as `npm start` would. */
export async function startChildServer(dataDir: string, env: Record<string, string> = {}): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/src/main.ts'], {
    cwd: root,
    env: { ...process.env, NODE_ENV: 'production', PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', AUTH_SECRET: 'test-secret-test-secret-test-secret', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const port = await waitFor(() => /Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1], {
    timeoutMs: 20_000,
    intervalMs: 20,
    what: `child server to listen (output: ${output.slice(-500)})`,
  });
  return {
    process: child,
    http: `http://127.0.0.1:${port}`,
    ws: `ws://127.0.0.1:${port}/collab`,
    output: () => output,
    kill(signal) {
      child.kill(signal);
      return exited;
    },
  };
}
