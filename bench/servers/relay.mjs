// The ceiling: a bare ws relay that forwards each frame to the room's other sockets as it comes.
// It keeps no document; it answers a client's sync step 1 with an empty step 2 so the stock
// y-websocket client counts itself synced.
import http from 'node:http';
import { WebSocketServer } from 'ws';

const rooms = new Map();
const emptyStep2 = new Uint8Array([0, 1, 2, 0, 0]);
const wss = new WebSocketServer({ noServer: true, maxPayload: 8 * 1024 * 1024 });
globalThis.__benchDocCount = () => rooms.size;
wss.on('connection', (ws, req) => {
  const name = (req.url ?? '/').slice(1).split('?')[0];
  let peers = rooms.get(name);
  if (!peers) rooms.set(name, (peers = new Set()));
  peers.add(ws);
  ws.on('message', (data) => {
    if (data[0] === 0 && data[1] === 0) return void ws.send(emptyStep2);
    for (const peer of peers) if (peer !== ws && peer.readyState === 1) peer.send(data);
  });
  ws.on('close', () => {
    peers.delete(ws);
    if (peers.size === 0) rooms.delete(name);
  });
});
const server = http.createServer((_req, res) => res.end('okay'));
server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)));
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
