import type { WebSocket, WebSocketServer } from 'ws';

/**
 * Pings every socket each interval and drops the ones that did not answer the last ping.
 * A network cut leaves no close frame: without this, a dead socket would hold its room
 * and its presence until TCP gives up, which can take many minutes.
 */
export function startHeartbeat(server: WebSocketServer, intervalMs: number): () => void {
  const awaitingPong = new WeakSet<WebSocket>();
  const listening = new WeakSet<WebSocket>();
  const timer = setInterval(() => {
    for (const socket of server.clients) {
      if (awaitingPong.has(socket)) {
        socket.terminate();
        continue;
      }
      if (!listening.has(socket)) {
        listening.add(socket);
        socket.on('pong', () => awaitingPong.delete(socket));
      }
      awaitingPong.add(socket);
      socket.ping();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
