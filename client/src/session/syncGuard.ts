import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type { WebsocketProvider } from 'y-websocket';
import { SYNC_MESSAGE_OVERHEAD, splitUpdate, UnsplittableUpdateError } from '#shared/splitUpdate';

const MESSAGE_SYNC = 0;

export interface SyncGuardOptions {
  /** The server's largest accepted message (`maxMessageBytes` of `/api/health`). */
  limit: () => number;
  /** The server's state vector, as it announces it on every (re)connect. */
  onServerState?: (stateVector: Map<number, number>) => void;
  /** Every update the server sends (others' edits, and our own echoed once stored). */
  onServerUpdate?: (update: Uint8Array) => void;
  /** A single change too big to send even when split (one huge value): it stays local. */
  onUnsendable?: (bytes: number) => void;
}

/**
 * Makes the stock provider send nothing over the server's message limit: a local update or
 * the catch-up it sends after (re)connecting (offline work, an older client's changes) goes out
 * split into updates under the limit. Without this the server closes the connection (1009), the
 * provider reconnects and sends the same message again, for ever. Also reports what the server
 * has, so the connection badge can tell confirmed edits from unsent ones. Edits go to the server
 * only: the app's providers have no BroadcastChannel to other tabs (openSession).
 */
export function installSyncGuard(provider: WebsocketProvider, options: SyncGuardOptions): void {
  const { doc } = provider;
  const send = (update: Uint8Array, type: number) => {
    let parts: Uint8Array[];
    try {
      parts = splitUpdate(update, options.limit() - SYNC_MESSAGE_OVERHEAD);
    } catch (err) {
      if (!(err instanceof UnsplittableUpdateError)) throw err;
      options.onUnsendable?.(update.length);
      return;
    }
    for (const part of parts) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      encoding.writeVarUint(encoder, type);
      encoding.writeVarUint8Array(encoder, part);
      const message = encoding.toUint8Array(encoder);
      const ws = provider.ws;
      if (provider.wsconnected && ws && ws.readyState === ws.OPEN) ws.send(message);
    }
  };

  // Local edits: the provider's own handler sends each as one message, whatever its size.
  const onLocalUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin !== provider) send(update, syncProtocol.messageYjsUpdate);
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
