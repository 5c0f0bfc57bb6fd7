import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type { WebsocketProvider } from 'y-websocket';
import { DEFAULT_UPDATE_ALLOWANCE, type UpdateAllowance } from '#shared/protocol';
import { SYNC_MESSAGE_OVERHEAD, splitUpdateParts, UnsplittableUpdateError, type UpdatePart } from '#shared/splitUpdate';

const MESSAGE_SYNC = 0;

export interface SyncGuardOptions {
  /** The server's largest accepted message (`maxMessageBytes` of `/api/health`). */
  limit: () => number;
  /** What one update may hold and the work a connection may ask (`updateAllowance` of `/api/health`). */
  allowance?: () => UpdateAllowance;
  /** The server's state vector, as it announces it on every (re)connect. */
  onServerState?: (stateVector: Map<number, number>) => void;
  /** Every update the server sends (others' edits, and our own echoed once stored). */
  onServerUpdate?: (update: Uint8Array) => void;
  /** A single change too big to send even when split (one huge value): it stays local. */
  onUnsendable?: (bytes: number) => void;
}

/**
 * Makes the stock provider send nothing over the server's limits: a local update or the catch-up
 * it sends after (re)connecting (offline work, an older client's changes, and always the whole
 * delete set: 20,000 ranges once a long text has been reworded for months) goes out split into
 * updates under the message size and the structs and delete ranges one update may hold, paced
 * within half the work the server takes from a connection. Without this the server closes the
 * connection (1009, 4500, 1013), the provider reconnects and sends the same again, for ever. Also reports what the server
 * has, so the connection badge can tell confirmed edits from unsent ones. Edits go to the server
 * only: the app's providers have no BroadcastChannel to other tabs (openSession).
 */
export function installSyncGuard(provider: WebsocketProvider, options: SyncGuardOptions): void {
  const { doc } = provider;
  const allowance = options.allowance ?? (() => DEFAULT_UPDATE_ALLOWANCE);
  const pacer = new WorkPacer(allowance, (message) => {
    const ws = provider.ws;
    if (provider.wsconnected && ws && ws.readyState === ws.OPEN) ws.send(message);
  });
  // What waits belongs to the closed connection: the next one's sync sends whatever the server lacks.
  provider.on('connection-close', () => pacer.reset());
  const send = (update: Uint8Array, type: number) => {
    let parts: UpdatePart[];
    try {
      parts = splitUpdateParts(update, options.limit() - SYNC_MESSAGE_OVERHEAD, allowance());
    } catch (err) {
      if (!(err instanceof UnsplittableUpdateError)) throw err;
      options.onUnsendable?.(update.length);
      return;
    }
    for (const part of parts) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      encoding.writeVarUint(encoder, type);
      encoding.writeVarUint8Array(encoder, part.update);
      pacer.send(encoding.toUint8Array(encoder), part.work);
    }
  };

  // Local edits: the provider's own handler sends each as one message, whatever its size. Not
  // connected, nothing is sent (as the stock handler drops it): the next connection's sync sends
  // whatever the server lacks. Split and queued here, this device's copy of a long text, loaded before
  // the connection opens, cost the return visit 90 ms and, queued by the pacer, was sent again once it opened.
  const onLocalUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin !== provider && provider.wsconnected) send(update, syncProtocol.messageYjsUpdate);
  };
  doc.off('update', provider._updateHandler);
  doc.on('update', onLocalUpdate);
  provider._updateHandler = onLocalUpdate; // destroy() unsubscribes whatever this holds

  const handleSync = provider.messageHandlers[MESSAGE_SYNC];
  provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, p, emitSynced, messageType) => {
    // Messages from other tabs (BroadcastChannel) arrive here too, without emitSynced: they say
    // nothing about what the server holds, and the stock handler answers them over the channel.
    if (!emitSynced) return handleSync(encoder, decoder, p, emitSynced, messageType);
    const peek = decoding.clone(decoder);
    const syncType = decoding.readVarUint(peek);
    const payload = decoding.readVarUint8Array(peek);
    if (syncType === syncProtocol.messageYjsSyncStep1) {
      const stateVector = Y.decodeStateVector(payload);
      options.onServerState?.(stateVector);
      // Answer the server's step 1 ourselves (what it lacks, split); the stock reply is one message.
      decoding.readVarUint(decoder);
      decoding.readVarUint8Array(decoder);
      send(Y.encodeStateAsUpdate(doc, payload), syncProtocol.messageYjsSyncStep2);
      return;
    }
    handleSync(encoder, decoder, p, emitSynced, messageType);
    options.onServerUpdate?.(payload);
  };
}

/**
 * Sends messages in order, the work they ask (structs plus delete ranges) kept within half the
 * server's budget for one connection: typing never waits; a catch-up of many parts is spread
 * over a few seconds instead of being cut off for asking too much at once.
 */
class WorkPacer {
  private queue: { message: Uint8Array; work: number }[] = [];
  private tokens: number | null = null;
  private last = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly allowance: () => UpdateAllowance,
    private readonly transmit: (message: Uint8Array) => void,
  ) {}

  send(message: Uint8Array, work: number): void {
    this.queue.push({ message, work });
    this.drain();
  }

  /** Drops what waits (its connection closed) and starts a new connection's budget. */
  reset(): void {
    this.queue = [];
    this.tokens = null;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private drain(): void {
    const { workPerSecond, workBurst } = this.allowance();
    const rate = workPerSecond / 2;
    const capacity = workBurst / 2;
    const now = performance.now();
    this.tokens = this.tokens === null ? capacity : Math.min(capacity, this.tokens + ((now - this.last) / 1000) * rate);
    this.last = now;
    while (this.queue.length > 0) {
      const cost = Math.min(this.queue[0].work, capacity);
      if (this.tokens < cost) break;
      this.tokens -= cost;
      this.transmit(this.queue.shift()!.message);
    }
    if (this.queue.length === 0 || this.timer !== null) return;
    const waitMs = ((Math.min(this.queue[0].work, capacity) - this.tokens) / rate) * 1000;
    this.timer = setTimeout(
      () => {
        this.timer = null;
        this.drain();
      },
      Math.max(1, Math.ceil(waitMs)),
    );
  }
}
