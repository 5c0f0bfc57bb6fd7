import type { WebSocket } from 'ws';

/**
 * Asks one socket whether anyone is still there: a ping now, and the socket dropped if no pong
 * comes within `timeoutMs`. The heartbeat asks every socket each interval (30 s by default); this
 * is for when waiting that long costs someone, such as a person refused for holding too many
 * connections whose old ones are the dead sockets of a laptop that changed networks.
 * Returns the function that asks; asking again while waiting for an answer does nothing.
 */
export function livenessProbe(socket: WebSocket, timeoutMs: number): () => void {
  let waiting: ReturnType<typeof setTimeout> | undefined;
  const answered = () => {
    clearTimeout(waiting);
    waiting = undefined;
  };
  socket.on('pong', answered);
  socket.once('close', answered);
  return () => {
    if (waiting !== undefined || socket.readyState !== socket.OPEN) return;
    waiting = setTimeout(() => {
      // As the heartbeat does: read the I/O already waiting (setImmediate runs after the poll
      // phase) before judging, so this process's own delay never drops a live socket.
      setImmediate(() => {
        if (waiting === undefined) return;
        waiting = undefined;
        socket.terminate();
      });
    }, timeoutMs);
    waiting.unref();
    socket.ping();
  };
}
