import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type { WebsocketProvider } from 'y-websocket';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
/** A hidden tab gets no animation frames: apply what arrived at least this often anyway. */
const HIDDEN_FLUSH_MS = 250;

type Handler = WebsocketProvider['messageHandlers'][number];

export interface FrameBatch {
  /** Messages waiting for the next frame. */
  readonly waiting: number;
  /** Applies whatever is waiting now. */
  flush(): void;
  destroy(): void;
}

/**
 * Applies other people's edits and carets once a frame instead of once a message. Each applied
 * message is a ProseMirror transaction, and each transaction walks every top-level block of the
 * view: on a long agreement with three people typing, and on a slow machine, those walks queue
 * up behind each other and in front of this person's own keystrokes. Waiting messages are
 * applied together just before the next frame is drawn (so they show in the same frame they
 * would have anyway): carets first, then every text update in one Yjs transaction, which the
 * editor takes as one change. Messages that are answered or that change the connection's state
 * (sync steps, auth, awareness queries, other tabs') apply at once, after what is waiting, so
 * the order of everything is kept.
 */
export function batchIncoming(provider: WebsocketProvider, { hiddenFlushMs = HIDDEN_FLUSH_MS } = {}): FrameBatch {
  const { doc } = provider;
  const handleSync = provider.messageHandlers[MESSAGE_SYNC];
  const handleAwareness = provider.messageHandlers[MESSAGE_AWARENESS];
  let carets: (() => void)[] = [];
  let updates: (() => void)[] = [];
  let frame: number | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const flush = () => {
    if (frame !== null) cancelAnimationFrame(frame);
    if (timer !== null) clearTimeout(timer);
    frame = timer = null;
    const [waitingCarets, waitingUpdates] = [carets, updates];
    carets = [];
    updates = [];
    for (const apply of waitingCarets) apply();
    // One transaction, as the provider's origin, so every observer (the editor, the unsent-changes
    // count, the local copy) sees one change, exactly as it sees one relayed update.
    if (waitingUpdates.length > 0) doc.transact(() => waitingUpdates.forEach((apply) => apply()), provider);
  };
  const later = (queue: (() => void)[], handler: Handler, decoder: decoding.Decoder, messageType: number) => {
    // The message's bytes stay readable after this call: the provider drops its decoder.
    queue.push(() => handler(encoding.createEncoder(), decoder, provider, true, messageType));
    frame ??= requestAnimationFrame(flush);
    timer ??= setTimeout(flush, hiddenFlushMs);
  };

  provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, p, emitSynced, messageType) => {
    // Plain updates from the server need no answer and change nothing but the text: they wait.
    if (emitSynced && decoding.peekVarUint(decoder) === syncProtocol.messageYjsUpdate) return later(updates, handleSync, decoder, messageType);
    flush();
    handleSync(encoder, decoder, p, emitSynced, messageType);
  };
  provider.messageHandlers[MESSAGE_AWARENESS] = (encoder, decoder, p, emitSynced, messageType) => {
    if (emitSynced) return later(carets, handleAwareness, decoder, messageType);
    flush();
    handleAwareness(encoder, decoder, p, emitSynced, messageType);
  };
  for (const type of Object.keys(provider.messageHandlers).map(Number)) {
    if (type === MESSAGE_SYNC || type === MESSAGE_AWARENESS) continue;
    const handler = provider.messageHandlers[type];
    provider.messageHandlers[type] = (...args) => {
      flush();
      handler(...args);
    };
  }
  // A closed connection's last updates are still the server's: apply them before it reconnects.
  const onClose = () => flush();
  provider.on('connection-close', onClose);

  return {
    get waiting() {
      return carets.length + updates.length;
    },
    flush,
    destroy() {
      if (frame !== null) cancelAnimationFrame(frame);
      if (timer !== null) clearTimeout(timer);
      frame = timer = null;
      carets = [];
      updates = [];
      provider.off('connection-close', onClose);
    },
  };
}
