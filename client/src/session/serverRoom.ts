import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import { collabProtocols } from '#shared/protocol';
import { applySyncInPieces, PIECE_STRUCTS, type Cutter } from './piecewiseSync';
import { canInflateRaw } from './inflate';
import { cutInWorker } from './cutInWorker';

export interface OpenedServerRoom {
  doc: Y.Doc;
  provider: WebsocketProvider;
  destroy(): void;
}

export interface ServerRoomOptions {
  /** The collab endpoint (the page's own: openSession.ts `collabServerUrl`). */
  serverUrl: string;
  /** Cuts a large first copy into pieces (tests cut in their own thread; the page in a worker). */
  cut?: Cutter;
  WebSocketPolyfill?: typeof WebSocket;
}

/**
 * Opens a room the server alone writes (records, a caucus), read-only. Its first copy comes
 * deflated where the browser can inflate it (the records of a long negotiation: threads, activity,
 * 45 KB for 40 pages, a sixth of that deflated) and is applied as the text's is, in pieces if large.
 */
export function openServerRoom(room: string, token: string, options: ServerRoomOptions): OpenedServerRoom {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(options.serverUrl, room, doc, {
    protocols: collabProtocols(token, { deflatedSync: canInflateRaw() }),
    maxBackoffTime: 5000,
    // Only the server writes here: other tabs have nothing to tell this one.
    disableBc: true,
    connect: false,
    WebSocketPolyfill: options.WebSocketPolyfill,
  });
  // Presence belongs to the text room; here it would only be noise.
  provider.awareness.setLocalState(null);
  const pieces = applySyncInPieces(provider, { cut: options.cut ?? ((updates) => cutInWorker(updates, PIECE_STRUCTS)) });
  provider.connect();
  return {
    doc,
    provider,
    destroy() {
      pieces.destroy();
      provider.destroy();
      doc.destroy();
    },
  };
}
