import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const clientScript = fileURLToPath(new URL('./stockClientProcess.ts', import.meta.url));

/**
 * Starts a stock y-websocket client in a process of its own (stockClientProcess.ts) and collects
 * the JSON lines it prints: a laptop the test can freeze (SIGSTOP) without freezing itself.
 */
export function startClientProcess(wsUrl: string, room: string, token: string): { child: ChildProcess; lines: Record<string, unknown>[] } {
  const child = spawn(process.execPath, ['--import', 'tsx', clientScript, wsUrl, room, token], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: Record<string, unknown>[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => lines.push(JSON.parse(line) as Record<string, unknown>));
  return { child, lines };
}
