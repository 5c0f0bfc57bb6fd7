import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import { IndexeddbPersistence } from 'y-indexeddb';
import { contentRoom } from '#shared/rooms';
import { CloseCode, collabProtocols, UPDATE_REFUSED } from '#shared/protocol';
import { installSyncGuard } from './syncGuard';
import { backOffRepeatedCloses } from './repeatedCloses';
import { batchIncoming } from './frameBatch';
import { skipEncodingServerChanges } from './serverChangesUnencoded';
import { writeLocalCopyAfterFrame } from './localCopyAfterFrame';
import { UnsentChanges } from './unsentChanges';
import { loadMessageLimit, messageLimit, updateAllowance } from './messageLimit';
import { applyStoredInPieces, applySyncInPieces, PIECE_STRUCTS } from './piecewiseSync';
import { compactInWorker } from './compactInWorker';
import { cutInWorker } from './cutInWorker';
import { copyStructs, expectsLargeCopy, noteLargeCopy } from './largeCopyHint';
import { countStructsForNextVisit } from './structsForNextVisit';
import { deviceCopyName, sharedDeviceCopyName } from './deviceCopyName';
import { adoptSharedCopy } from './adoptSharedCopy';
import { canInflateRaw } from './inflate';
import { holdPageOpenWhile } from '../ui/leaveGuard';
import { presenceFollowsClientId } from './presenceFollowsClientId';
import { nameWriterIds } from './writerIds';
import { forgetGonePresence } from './forgetGonePresence';

const MESSAGE_AUTH = 2;
/** The longest the connection waits for this device's copy of the text to load first. */
const LOCAL_COPY_WAIT_MS = 1500;
const PERMISSION_DENIED = 0;

/** One live connection to an agreement's text: the Y.Doc, its websocket and its local copy. */
export interface CollabSession {
  readonly room: string;
  readonly ydoc: Y.Doc;
  readonly provider: WebsocketProvider;
  readonly persistence: IndexeddbPersistence;
  /** Local changes the server has not confirmed yet. */
  readonly unsent: UnsentChanges;
  /** How the server last closed this session's socket: hooks that subscribe late read it here. */
  readonly closes: SessionCloses;
  /**
   * Who hears of refusals from now on. The session may be opened before the page can listen
   * (earlySession.ts): what happened before that is told to the first listener.
   */
  listen(events: SessionEvents): void;
  destroy(): void;
  /** Forgets this device's copy of the text (IndexedDB) and closes the session. */
  discardLocalCopy(): Promise<void>;
}

export interface SessionEvents {
  /** The server refused a change from this connection (read-only role): `reason` is its word. */
  onWriteRefused?: (reason: string) => void;
  /** A single change too large to send even split: it stays on this device. */
  onUnsendable?: (bytes: number) => void;
}

export interface SessionCloses {
  /** The code of the last close the server sent (a failed attempt's, too), and its reason. */
  lastCode?: number;
  lastReason?: string;
  /** The close after which the provider stopped for good (codes 4400 to 4499). */
  final?: { code: number; reason: string };
}

export function collabServerUrl(loc: Location = window.location): string {
  const proto = loc.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${proto}//${loc.host}/collab`;
}

/**
 * Opens the content room of an agreement. Edits are kept in IndexedDB so that work done
 * offline survives a reload and is merged when the connection returns.
 */
export function openSession(agreementId: string, token: string): CollabSession {
  const room = contentRoom(agreementId);
  const ydoc = new Y.Doc();
  const copyName = deviceCopyName(room, token);
  const persistence = new IndexeddbPersistence(copyName, ydoc);
  const cutLarge = (updates: Uint8Array[]) => {
    noteLargeCopy(room);
    return cutInWorker(updates, PIECE_STRUCTS);
  };
  // This device's copy of a long, much-reworded text is applied in pieces too (our y-indexeddb patch
  // calls this instead of applying every record in one transaction).
  // A long text written once (few structs, counted on an earlier visit) is applied whole instead.
  const applyStored = (records: Uint8Array[]) =>
    applyStoredInPieces(ydoc, records, persistence, { cut: cutLarge, stopped: () => persistence._destroyed, structs: copyStructs(room) });
  (persistence as StoredCopyReader).applyStoredUpdates = applyStored;
  if (copyName !== sharedDeviceCopyName(room)) {
    adoptSharedCopy(sharedDeviceCopyName(room), persistence, applyStored).catch((error: unknown) => {
      console.warn('the copy this device kept before copies were per person was not taken over', error);
    });
  }
  const localCopy = writeLocalCopyAfterFrame(persistence, ydoc, compactInWorker);
  const provider = new WebsocketProvider(collabServerUrl(), room, ydoc, {
    // The token goes in Sec-WebSocket-Protocol: a URL would carry it into server and proxy logs.
    // And, where the browser can inflate it, a long text's first copy comes deflated (a third of the bytes),
    // told first how many structs it holds (piecewiseSync.ts: only a copy with many is cut in a worker).
    protocols: collabProtocols(token, { deflatedSync: canInflateRaw(), textStructs: true }),
    maxBackoffTime: 5000,
    // Other tabs get this tab's edits and caret through the server only: the server is what
    // checks them (the schema, the person's rights), and the BroadcastChannel cost every
    // keystroke a post to the browser process, in the task the person waits on.
    disableBc: true,
    // Connect once the server's message limit is known (and on the next tick: React's
    // development double mount opens and closes a session at once, and a socket closed while
    // still connecting only produces console noise).
    connect: false,
  });
  let destroyed = false;
  const writers = nameWriterIds(ydoc, persistence, provider);
  const stopCounting = countStructsForNextVisit(room, ydoc, provider);
  // And, when this device holds a large copy (largeCopyHint.ts), once that copy is in: the sync
  // request then names all it holds, and the server sends only what it lacks. Sent while a long copy
  // was still being applied in pieces, it drew the whole text (a megabyte) again. A copy that never
  // loads (storage refused) is waited for a moment only.
  const localCopyIn = expectsLargeCopy(room) ? Promise.race([persistence.whenSynced, new Promise((resolve) => setTimeout(resolve, LOCAL_COPY_WAIT_MS))]) : null;
  void Promise.all([loadMessageLimit(), localCopyIn]).then(() => {
    if (!destroyed) provider.connect();
  });

  // Refusals heard before anyone listens wait for the first listener.
  let events: SessionEvents | null = null;
  const untold: ((to: SessionEvents) => void)[] = [];
  const tell = (call: (to: SessionEvents) => void) => (events ? call(events) : untold.push(call));
  const closes: SessionCloses = {};
  provider.on('connection-close', (event) => {
    if (!event) return;
    closes.lastCode = event.code;
    closes.lastReason = event.reason;
    // A change the server cannot read (a newer app's, against an older server or an instance not
    // yet updated) is sent again with every reconnect and closed again: refused for good, as a
    // declined one is.
    if (event.code === CloseCode.BadMessage && event.reason.startsWith(UPDATE_REFUSED)) tell((to) => to.onWriteRefused?.(event.reason));
  });
  backOffRepeatedCloses(provider);
  provider.on('closed', ({ code, reason }) => {
    closes.final = { code, reason };
  });

  const unsent = new UnsentChanges(ydoc, (origin) => origin === provider);
  // Closing the tab with changes the server has not confirmed: they stay in this device's copy, but
  // nobody else sees them until this person opens the agreement here again, so the browser asks first.
  const stopHoldingPage = holdPageOpenWhile(
    () => unsent.summary.count > 0,
    (changed) => unsent.onChange(changed),
  );
  // What the server sends is kept on the device as it came (when it changed anything): Yjs need not encode it again.
  const serverChanges = skipEncodingServerChanges(
    ydoc,
    (origin) => origin === provider,
    (update) => localCopy.keepServerUpdate(update),
  );
  installSyncGuard(provider, {
    limit: messageLimit,
    allowance: updateAllowance,
    onServerState: (stateVector) => unsent.serverState(stateVector),
    onServerUpdate: (update) => {
      unsent.serverUpdate(update);
      serverChanges.applied(update);
    },
    onUnsendable: (bytes) => tell((to) => to.onUnsendable?.(bytes)),
  });
  provider.messageHandlers[MESSAGE_AUTH] = (_encoder, decoder) => {
    if (decoding.readVarUint(decoder) !== PERMISSION_DENIED) return;
    const reason = decoding.readVarString(decoder);
    tell((to) => to.onWriteRefused?.(reason));
  };
  sendOnlyOwnAwareness(provider);
  const stopFollowing = presenceFollowsClientId(ydoc, provider.awareness);
  const stopForgetting = forgetGonePresence(provider.awareness);
  const batch = batchIncoming(provider);
  // Last, so it wraps every handler above: a long text's copy from the server, applied in pieces.
  const pieces = applySyncInPieces(provider, {
    cut: cutLarge,
    // Held whole or cut, the copy is large: the next visit waits for it to load before asking (largeCopyHint.ts).
    onLarge: () => noteLargeCopy(room),
    onPiece: (piece) => {
      unsent.serverUpdate(piece);
      serverChanges.applied(piece);
    },
  });

  // Browsers keep an open websocket alive for a while after the network drops; go offline
  // at once so the indicator is honest, and reconnect as soon as the network is back.
  const onOffline = () => provider.disconnect();
  const onOnline = () => provider.connect();
  window.addEventListener('offline', onOffline);
  window.addEventListener('online', onOnline);

  const destroy = () => {
    if (destroyed) return;
    destroyed = true;
    window.removeEventListener('offline', onOffline);
    window.removeEventListener('online', onOnline);
    stopFollowing();
    writers.stop();
    stopCounting();
    stopForgetting();
    pieces.destroy();
    batch.destroy();
    serverChanges.stop();
    // Whatever is waiting for the local copy is written before it closes.
    localCopy.flush();
    localCopy.destroy();
    stopHoldingPage();
    unsent.destroy();
    provider.destroy();
    void persistence.destroy();
    ydoc.destroy();
  };
  return {
    room,
    ydoc,
    provider,
    persistence,
    unsent,
    closes,
    listen(to) {
      events = to;
      for (const call of untold.splice(0)) call(to);
    },
    destroy,
    async discardLocalCopy() {
      localCopy.destroy();
      provider.destroy();
      await persistence.clearData();
      noteLargeCopy(room, false);
      destroy();
    },
  };
}

type StoredCopyReader = IndexeddbPersistence & { applyStoredUpdates?: (records: Uint8Array[]) => Promise<void> };

type AwarenessChange = { added: number[]; updated: number[]; removed: number[] };

/**
 * The stock provider re-sends every awareness change it sees, other people's included, so
 * each update echoes back to the server once per client. Send only this client's own state:
 * it saves traffic, and the server ignores updates that speak for another connection.
 */
export function sendOnlyOwnAwareness(provider: WebsocketProvider): void {
  const send = provider._awarenessUpdateHandler;
  const ownOnly = (change: AwarenessChange, origin: unknown) => {
    // Read at each change: the presence moves to a new id when Yjs gives the doc one (presenceFollowsClientId.ts).
    const clientId = provider.awareness.clientID;
    const removed = change.removed.includes(clientId);
    if (!removed && !change.added.includes(clientId) && !change.updated.includes(clientId)) return;
    send({ added: [], updated: removed ? [] : [clientId], removed: removed ? [clientId] : [] }, origin);
  };
  provider.awareness.off('update', send);
  provider.awareness.on('update', ownOnly);
  // destroy() unsubscribes whatever this property holds.
  provider._awarenessUpdateHandler = ownOnly;
}
