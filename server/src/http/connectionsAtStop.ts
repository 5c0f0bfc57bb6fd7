import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/** How long a stop lets requests under way finish before their connections are cut (a restart's longest wait for them). */
export const DEFAULT_STOP_GRACE_MS = 10_000;
/** How long a client may take to send one whole request, headers and body (Node's own default is 300 s; Fastify turns it off). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;

/**
 * Node checks for requests past their timeout this often (default 30 s): a tenth of the timeout,
 * so one is refused close to its time, and never busier than four times a second.
 */
export function requestCheckIntervalMs(requestTimeoutMs: number): number {
  return Math.min(30_000, Math.max(250, Math.round(requestTimeoutMs / 10)));
}

/**
 * Bounds what connections can cost a stop, so a restart or a restore from a backup comes back in
 * seconds whatever clients are doing:
 * - Connections that never began a request are ended at once. Browsers open spare connections
 *   ahead of need (Chromium's preconnect) and may never send on them; Node's graceful close counts
 *   such a socket as busy and waits for its header timeout, 60 to 90 s. A socket that sent half a
 *   request's headers is ended too: the same wait, and a way to hold a restart.
 * - Requests under way get `graceMs` to finish; then their connections are cut. One whose body
 *   never finishes arriving held the stop for good before, and with it what the rooms had not
 *   yet written (the stores run after the last connection is gone).
 */
export function boundConnectionsAtStop(app: FastifyInstance, graceMs = DEFAULT_STOP_GRACE_MS): void {
  const spare = new Set<Socket>();
  let closing = false;
  app.server.on('connection', (socket: Socket) => {
    // Accepted in the moment before the listener stops: the server is going, as if refused.
    if (closing) return void socket.destroy();
    spare.add(socket);
    socket.once('close', () => spare.delete(socket));
  });
  // A whole request's headers arrived (an upgrade is a request too): Node's close handles it.
  app.server.on('request', (request: { socket: Socket }) => spare.delete(request.socket));
  app.server.on('upgrade', (request: { socket: Socket }) => spare.delete(request.socket));
  app.addHook('preClose', async () => {
    closing = true;
    for (const socket of spare) socket.destroy();
    spare.clear();
    const cut = setTimeout(() => app.server.closeAllConnections(), graceMs);
    cut.unref();
    app.server.once('close', () => clearTimeout(cut));
  });
}
