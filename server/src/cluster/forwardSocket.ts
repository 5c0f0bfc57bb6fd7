import WebSocket from 'ws';
import type { Logger } from '../log';
import { CloseCode } from '#shared/protocol';
import { FORWARDED_HEADER } from './forwardHttp';
import { sendCapped } from '../ws/outputCap';

/** Close codes a server may send on as they are; 1005 and 1006 only describe what happened locally. */
function sendable(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

/** The forwarding half of a client's websocket: what it sends goes to the owner, and back. */
export interface Upstream {
  send(message: Uint8Array): void;
  /**
   * Closes the link once what the client sent has gone to the owner: at once when it is open (frames
   * go as they come), else once it opens and `onOpen` has sent what waited (given up after
   * {@link OPEN_WAIT_MS}). A client that wrote and closed before the link opened loses nothing.
   * Resolves once the link is closed. `code` tells the owner why ({@link CUT_OFF_FOR_FLOODING}).
   */
  close(code?: number): Promise<void>;
}

/**
 * The close code a forwarding instance ends its link with when it cut the client off for flooding,
 * so the owner starts its cooldown for that person too. Only instances send it (no client is ever
 * closed with it, so no echo of a server's close is mistaken for it); a client that sent it would
 * only put itself in the cooldown.
 */
export const CUT_OFF_FOR_FLOODING = 4529;

/** How long a link whose client has gone may take to open before what waited for it is given up. */
const OPEN_WAIT_MS = 10_000;

/**
 * Pipes a client's websocket to the instance that owns its agreement, frame for frame, and
 * closes the client with the owner's close code (so the stock client stops on 4401/4403 as
 * it would have, and reconnects after anything else). When the owner dies the client gets
 * {@link CloseCode.OwnerLost} and reconnects; its next connection finds the new owner.
 */
export function pipeToOwner(
  client: WebSocket,
  ownerUrl: string,
  path: string,
  options: {
    /** Unsent output the client may have queued here, as at the owner: the owner sees this instance read, not the client. */
    outputBufferBytes: number;
    log: Logger;
    onOpen: () => void;
    /** The link is closed: whatever the client's socket still does, it holds no place at the owner any more. */
    onClosed: () => void;
    protocols?: string[];
  },
): Upstream {
  // The same subprotocols the client offered: its token travels in them, not in the URL.
  const upstream = new WebSocket(`${ownerUrl.replace(/^http/, 'ws')}${path}`, options.protocols ?? [], {
    headers: { [FORWARDED_HEADER]: '1' },
    // No limit: the frame limit bounds what clients send, and the owner's answer to a newcomer is
    // the whole room (a long text, the records), as big as it is; a client of the owner reads it.
    maxPayload: 0,
    perMessageDeflate: false,
    // The owner's pings are the client's to answer (below): answered here, a client whose network
    // died looked alive to the owner, which kept its place (4129 for the person) until this
    // instance's own heartbeat noticed.
    autoPong: false,
  });
  const closeClient = (code: number, reason: string) => {
    if (client.readyState === client.OPEN || client.readyState === client.CONNECTING) client.close(code, reason.slice(0, 120));
  };
  upstream.on('open', options.onOpen);
  upstream.on('message', (data: Buffer) => {
    // Capped here: this instance reads everything the owner sends at once, so the owner's own cap
    // never sees a client that stops reading, and its replies would pile up here without bound.
    sendCapped(client, data, options.outputBufferBytes, () => {
      options.log.warn({ buffered: client.bufferedAmount }, 'closing a forwarded connection that does not read its output');
      upstream.terminate();
    });
  });
  upstream.on('ping', (data: Buffer) => {
    if (client.readyState === client.OPEN) client.ping(data);
  });
  client.on('pong', (data: Buffer) => {
    if (upstream.readyState === upstream.OPEN) upstream.pong(data);
  });
  upstream.on('close', (code: number, reason: Buffer) => {
    options.onClosed();
    closeClient(sendable(code) ? code : CloseCode.OwnerLost, reason.toString() || 'the agreement owner went away');
  });
  upstream.on('error', (err) => {
    options.log.warn({ err, ownerUrl }, 'forwarding a websocket to the agreement owner failed');
    closeClient(CloseCode.TryAgainLater, 'the agreement owner cannot be reached; try again');
  });
  return {
    send(message) {
      if (upstream.readyState === upstream.OPEN) upstream.send(message, { binary: true });
    },
    close(code = 1000) {
      if (upstream.readyState === upstream.CLOSED) return Promise.resolve();
      const closed = new Promise<void>((resolve) => upstream.once('close', () => resolve()));
      if (upstream.readyState === upstream.OPEN) {
        upstream.close(code);
      } else if (upstream.readyState === upstream.CONNECTING) {
        const giveUp = setTimeout(() => upstream.terminate(), OPEN_WAIT_MS);
        giveUp.unref();
        // After onOpen (registered first), which sends what waited.
        upstream.once('open', () => upstream.close(code));
        void closed.then(() => clearTimeout(giveUp));
      }
      return closed;
    },
  };
}
