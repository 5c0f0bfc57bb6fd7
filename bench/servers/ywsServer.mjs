// @y/websocket-server 0.1.1 (the y-websocket reference server), with the bench's file persistence.
import http from 'node:http';
import { WebSocketServer } from 'ws';
import { docs, setPersistence, setupWSConnection } from '@y/websocket-server/utils';
import { loadInto, storeState } from './framedFile.mjs';

const dir = process.env.DATA_DIR;
setPersistence({
  bindState: async (name, doc) => loadInto(dir, name, doc),
  writeState: async (name, doc) => storeState(dir, name, doc),
  provider: null,
});
globalThis.__benchDocCount = () => docs.size;

const wss = new WebSocketServer({ noServer: true, maxPayload: 8 * 1024 * 1024 });
wss.on('connection', setupWSConnection);
const server = http.createServer((_req, res) => res.end('okay'));
server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)));
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${server.address().port}`));
