import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const clientScript = fileURLToPath(new URL('./stockClientProcess.ts', import.meta.url));

/**
 * Starts a stock y-websocket client in a process of its own (stockClientProcess.ts) and collects
 * the JSON lines it prints. Its work (applying a big text, say) then never holds up the test's
 * own event loop, where the server runs.
 */
export function startClientProcess(
  wsUrl: string,
  room: string,
  token: string,
  { lowPriority = false } = {},
): { child: ChildProcess; lines: Record<string, unknown>[] } {
  const args = ['--import', 'tsx', clientScript, wsUrl, room, token];
  // At the lowest priority, on a machine short of cores it does not take the core the server needs.
  const child = lowPriority
    ? spawn('nice', ['-n', '19', process.execPath, ...args], { stdio: ['pipe', 'pipe', 'inherit'] })
    : spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: Record<string, unknown>[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
  return { child, lines };
}
