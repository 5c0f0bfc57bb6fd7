import WebSocket from 'ws';
import type { Logger } from '../log';
import { CloseCode } from '#shared/protocol';
import { FORWARDED_HEADER } from './forwardHttp';
import { sendCapped } from '../ws/outputCap';
import { fitCloseReason } from '../ws/closing';
import { carriesChanges } from '../rooms/messages';

/** Close codes a server may send on as they are; 1005 and 1006 only describe what happened locally. */
function sendable(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

/** The forwarding half of a client's websocket: what it sends goes to the owner, and back. */
export interface Upstream {
  /** Sends to the owner; kept until the link opens. */
  send(message: Uint8Array): void;
  /**
   * Closes the link once it is open and the owner has let in what the client sent (its first message,
   * the sync request of the room it joined, says so): until then the owner may still refuse it, and the
   * client's changes are handed back ({@link ForwardOptions.onNotLetIn}). Given up after {@link LET_IN_WAIT_MS}.
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

/** How long a link whose client has gone may take to open and be let in before what waited for it is given up. */
const LET_IN_WAIT_MS = 10_000;

/**
 * How an owner ends a link it did not let in when another instance may serve it: not the owner any more
 * (4503), stopping (1001) or failing (1011); 1006: unreachable. Not 1013: the owner's flood cooldown and an
 * unavailable database refuse with it, and every instance would refuse the same.
 */
const ANOTHER_OWNER_MAY_SERVE: ReadonlySet<number> = new Set([1001, 1006, 1011, CloseCode.OwnerLost]);

export interface ForwardOptions {
  /** Unsent output the client may have queued here, as at the owner: the owner sees this instance read, not the client. */
  outputBufferBytes: number;
  log: Logger;
  /** The link is closed: whatever the client's socket still does, it holds no place at the owner any more. */
  onClosed: () => void;
  /**
   * The client has gone, and the owner ended the link without letting it in, as one that may have lost
   * the agreement to another instance does: the changes the client sent, to take to the owner now.
   * Without it they are dropped.
   */
  onNotLetIn?: (changes: Uint8Array[]) => void;
  protocols?: string[];
}

/**
 * Pipes a client's websocket to the instance that owns its agreement, frame for frame, and
 * closes the client with the owner's close code (so the stock client stops on 4401/4403 as
 * it would have, and reconnects after anything else). When the owner dies the client gets
 * {@link CloseCode.OwnerLost} and reconnects; its next connection finds the new owner.
 */
export function pipeToOwner(client: WebSocket, ownerUrl: string, path: string, options: ForwardOptions): Upstream {
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
    if (client.readyState === client.OPEN || client.readyState === client.CONNECTING) client.close(code, fitCloseReason(reason));
  };
  /** What waits for the link to open. */
  const waiting: Uint8Array[] = [];
  /** The client's changes the owner has not let in yet: a refusal hands them back. */
  const notLetIn: Uint8Array[] = [];
  let letIn = false;
  /** The code to close the link with once the owner has let in what the client sent (the client has gone). */
  let closing: number | undefined;
  const closeOnceLetIn = () => {
    if (closing !== undefined && (letIn || notLetIn.length === 0) && upstream.readyState === upstream.OPEN) upstream.close(closing);
  };
  upstream.on('open', () => {
    for (const message of waiting.splice(0)) upstream.send(message, { binary: true });
    closeOnceLetIn();
  });
  upstream.on('message', (data: Buffer) => {
    letIn = true;
    notLetIn.length = 0;
    // Capped here: this instance reads everything the owner sends at once, so the owner's own cap
    // never sees a client that stops reading, and its replies would pile up here without bound.
    sendCapped(client, data, options.outputBufferBytes, () => {
      options.log.warn({ buffered: client.bufferedAmount }, 'closing a forwarded connection that does not read its output');
      upstream.terminate();
    });
    closeOnceLetIn();
  });
  upstream.on('ping', (data: Buffer) => {
    if (client.readyState === client.OPEN) client.ping(data);
  });
  client.on('pong', (data: Buffer) => {
    if (upstream.readyState === upstream.OPEN) upstream.pong(data);
  });
  upstream.on('close', (code: number, reason: Buffer) => {
    options.onClosed();
    // Nobody is left to send them again (a client still here is closed below, and resyncs where it reconnects).
    const gone = client.readyState !== client.OPEN && client.readyState !== client.CONNECTING;
    if (gone && notLetIn.length > 0 && ANOTHER_OWNER_MAY_SERVE.has(code) && options.onNotLetIn) return options.onNotLetIn(notLetIn.splice(0));
    closeClient(sendable(code) ? code : CloseCode.OwnerLost, reason.toString() || 'the agreement owner went away');
  });
  upstream.on('error', (err) => {
    options.log.warn({ err, ownerUrl }, 'forwarding a websocket to the agreement owner failed');
    closeClient(CloseCode.TryAgainLater, 'the agreement owner cannot be reached; try again');
  });
  return {
    send(message) {
      if (!letIn && carriesChanges(message)) notLetIn.push(message);
      if (upstream.readyState === upstream.OPEN) upstream.send(message, { binary: true });
      else if (upstream.readyState === upstream.CONNECTING) waiting.push(message);
    },
    close(code = 1000) {
      if (upstream.readyState === upstream.CLOSED) return Promise.resolve();
      const closed = new Promise<void>((resolve) => upstream.once('close', () => resolve()));
      closing = code;
      // The client's sync request and presence are moot once it has gone; its changes are not.
      if (upstream.readyState === upstream.CONNECTING) waiting.splice(0, waiting.length, ...waiting.filter(carriesChanges));
      closeOnceLetIn();
      if (!letIn) {
        const giveUp = setTimeout(() => upstream.terminate(), LET_IN_WAIT_MS);
        giveUp.unref();
        void closed.then(() => clearTimeout(giveUp));
      }
      return closed;
    },
  };
}
