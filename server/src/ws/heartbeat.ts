import type { WebSocket, WebSocketServer } from 'ws';

/**
 * Pings every socket each interval and drops the ones that did not answer the last ping.
 * A network cut leaves no close frame: without this, a dead socket would hold its room
 * and its presence until TCP gives up, which can take many minutes.
 *
 * Only this process's own delays must never cost a person their connection: when the
 * interval fires late (the loop was busy or the machine descheduled us), answers may be
 * waiting unread, so nobody is judged that round; and a socket is dropped only after the
 * I/O already waiting has been read (setImmediate runs after the poll phase).
 */
export function startHeartbeat(server: WebSocketServer, intervalMs: number): () => void {
  const awaitingPong = new WeakSet<WebSocket>();
  const listening = new WeakSet<WebSocket>();
  let lastTick = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const onTime = now - lastTick < intervalMs * 1.5;
    lastTick = now;
    for (const socket of server.clients) {
      if (awaitingPong.has(socket)) {
        if (onTime) setImmediate(() => awaitingPong.has(socket) && socket.terminate());
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
