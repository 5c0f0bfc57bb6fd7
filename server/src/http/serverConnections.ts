import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

/** The cap where the process cannot tell its open-file limit (no /proc): Node raises its soft limit to the hard one, rarely below this. */
export const FALLBACK_MAX_CONNECTIONS = 4096;

/**
 * The server-wide cap on open TCP connections: the one configured (0 lifts it), else a share of the
 * process's open-file limit. Every connection holds a file descriptor; past the limit the process
 * can open no file either (a room's log, a snapshot), and fails everyone. A quarter stays for files,
 * document workers and the database; with several instances (a database shared) half, as a
 * connection this instance forwards to another's agreement holds a second descriptor.
 */
export function serverConnectionCap(config: { maxConnections?: number; databaseUrl?: string }, openFileLimit: number | undefined): number {
  if (config.maxConnections !== undefined) return config.maxConnections;
  if (openFileLimit === undefined) return FALLBACK_MAX_CONNECTIONS;
  return Math.max(1, Math.floor(openFileLimit * (config.databaseUrl ? 0.5 : 0.75)));
}

/** The soft limit on open files (`ulimit -n`) as Linux tells it, read once at start; undefined elsewhere or when unlimited. */
export function readOpenFileLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = Number(line?.split(/\s{2,}/)[1]);
    return Number.isInteger(soft) && soft > 0 ? soft : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Caps the connections the server holds open at once, from every address together; `max` 0 lifts
 * it. Node refuses a connection over `maxConnections` as it is accepted (closed before a byte is
 * read, no `connection` event), so connections already open keep working and the client retries
 * with backoff; a place frees as any connection closes.
 */
export function capServerConnections(app: FastifyInstance, max: number): void {
  if (max <= 0) return;
  app.server.maxConnections = max;
  // Logged once each time the server fills, not per refused connection: a flood would flood the log too.
  let refusing = false;
  app.server.on('drop', () => {
    if (refusing) return;
    refusing = true;
    app.log.warn({ max }, 'the server holds as many connections as allowed: refusing new ones until some close');
  });
  app.server.on('connection', () => {
    refusing = false;
  });
}
