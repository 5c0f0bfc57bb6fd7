// Real providers for each protocol, and arrival counting from update metadata (no apply).
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import { HocuspocusProvider, HocuspocusProviderWebsocket } from '@hocuspocus/provider';

/**
 * A browser's socket. Once a server accepts permessage-deflate, Chromium compresses every message it
 * sends, however small (ws's own client only those over 1 KB): the server then inflates each keystroke.
 */
export class BrowserLikeSocket extends WebSocket {
  constructor(address, protocols, options) {
    super(address, protocols, { ...options, perMessageDeflate: { threshold: 0 } });
  }
}

/** Connects one client of `server` ({ kind, ws }) to document `name`; resolves once synced. */
export async function connect(server, name, token) {
  const doc = new Y.Doc();
  if (server.kind.startsWith('hocuspocus')) {
    const socket = new HocuspocusProviderWebsocket({ url: server.ws, WebSocketPolyfill: BrowserLikeSocket });
    const provider = new HocuspocusProvider({ websocketProvider: socket, name, document: doc, token: 'bench' });
    provider.attach?.();
    await until(() => provider.isSynced);
    return {
      doc,
      count(onUpdate) {
        provider.onMessage = (event) => {
          const decoder = decoding.createDecoder(new Uint8Array(event.data));
          decoding.readVarString(decoder);
          if (decoding.readVarUint(decoder) === 0) readSync(decoder, onUpdate);
        };
      },
      destroy() {
        provider.destroy();
        socket.destroy();
        doc.destroy();
      },
    };
  }
  const provider = new WebsocketProvider(server.ws, name, doc, {
    params: token ? { token } : {},
    WebSocketPolyfill: BrowserLikeSocket,
    disableBc: true,
  });
  await until(() => provider.synced);
  return {
    doc,
    count(onUpdate) {
      provider.ws.onmessage = (event) => {
        provider.wsLastMessageReceived = Date.now();
        const decoder = decoding.createDecoder(new Uint8Array(event.data));
        if (decoding.readVarUint(decoder) === 0) readSync(decoder, onUpdate);
      };
    },
    destroy() {
      provider.destroy();
      // The provider leaves its Awareness, whose 3 s timer only stops with the doc: without this a
      // process that connected clients never exits (cluster.mjs stayed up after its results).
      doc.destroy();
    },
  };
}

function readSync(decoder, onUpdate) {
  const type = decoding.readVarUint(decoder);
  if (type === 1 || type === 2) onUpdate(Y.parseUpdateMeta(decoding.readVarUint8Array(decoder)));
}

export async function until(check, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for ' + check);
    await new Promise((r) => setTimeout(r, 5));
  }
}
