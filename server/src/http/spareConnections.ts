import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

/**
 * Ends, as the server stops, the connections that never began a request. Browsers open spare
 * connections ahead of need (Chromium's preconnect) and may never send on them; Node's graceful
 * close counts such a socket as busy and waits for its header timeout, 60 to 90 s, so a restart
 * or a restore from a backup kept the server down that long while any page was open. A socket
 * that sent half a request's headers is ended too: the same wait, and a way to hold a restart.
 * Requests under way still get their answers.
 */
export function endSpareConnectionsOnClose(app: FastifyInstance): void {
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
  });
}
