import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type { WebsocketProvider } from 'y-websocket';
import { DEFLATED_SYNC_PROTOCOL, MESSAGE_DEFLATED_SYNC_STEP2, MESSAGE_TEXT_STRUCTS } from '#shared/protocol';
import { holdBinding } from './bindingHold';
import { inflateRaw } from './inflate';

const MESSAGE_SYNC = 0;
/**
 * The server's copy of the text is applied in pieces from this size up: a long agreement written
 * in one go stays under it (40 pages: 182 KB), one reworded for months does not (1 MB, 59,000
 * structs, whose single `applyUpdate` froze the page for about a second).
 */
export const PIECES_FROM_BYTES = 256 * 1024;
/**
 * A newcomer's copy is applied in pieces from this many structs up, when the server told how many
 * (MESSAGE_TEXT_STRUCTS): applying costs about 5 to 9 µs a struct, so this many are 40 to 70 ms of one
 * task, before the editor builds its view of the text.
 */
export const PIECES_FROM_STRUCTS = 8000;
/** Structs a piece: about a millisecond or two each to apply. */
export const PIECE_STRUCTS = 1000;
/** Pieces applied in one task before the page gets a turn (input, a frame). */
const TASK_BUDGET_MS = 25;

type Handler = WebsocketProvider['messageHandlers'][number];
export type Cutter = (updates: Uint8Array[]) => Promise<Uint8Array[]>;

export interface PiecewiseSyncOptions {
  /** Cuts the updates, merged, into pieces each applicable in turn (#shared/causalPieces); may reject. */
  cut: Cutter;
  /** Each piece applied here; the last goes through the provider's own handling instead. */
  onPiece?: (piece: Uint8Array) => void;
  /** Told when a large copy (cut or held whole) is about to be applied: this device will hold a large copy. */
  onLarge?: () => void;
  /** Reads a deflated copy (MESSAGE_DEFLATED_SYNC_STEP2); tests give one that waits. */
  inflate?: (bytes: Uint8Array) => Promise<Uint8Array>;
}

/**
 * A copy the server sent deflated that this page could not read: the session stops offering to read
 * one (DEFLATED_SYNC_PROTOCOL) and connects again, so the server sends it plain.
 */
export function readPlainFromNowOn(provider: WebsocketProvider): void {
  provider.protocols = provider.protocols.filter((protocol) => protocol !== DEFLATED_SYNC_PROTOCOL);
  provider.disconnect();
  provider.connect();
}

export interface PiecewiseSync {
  /** True while a copy is being applied. */
  readonly busy: boolean;
  /** Messages waiting for it. */
  readonly waiting: number;
  destroy(): void;
}

/**
 * Applies a large answer to this client's sync request (the server's copy of a long text) in
 * causal pieces across tasks instead of in one `applyUpdate` (issue 17: the load's longest task).
 * The editor's binding is held meanwhile (bindingHold.ts), so nobody sees the text half applied,
 * and every message that arrives meanwhile waits and is then handled in the order it came: the
 * session sees what it saw before, only later. The last piece is handled as the server's answer
 * itself (it marks the session synced). If cutting fails, the copy is applied whole, as before.
 * A copy the server sent deflated (the session offered DEFLATED_SYNC_PROTOCOL) is inflated first,
 * messages waiting meanwhile the same way, and then handled as the server's answer, in pieces if large.
 * Install it last: it wraps every handler.
 */
export function applySyncInPieces(provider: WebsocketProvider, options: PiecewiseSyncOptions): PiecewiseSync {
  const { doc } = provider;
  const inner: Handler[] = provider.messageHandlers.slice();
  let waiting: { type: number; decoder: decoding.Decoder; emitSynced: boolean }[] = [];
  let busy = false;
  let destroyed = false;
  // What the server told of the next answer's structs (MESSAGE_TEXT_STRUCTS), for that answer only.
  let toldStructs: number | undefined;
  /**
   * How the answer `update` is applied: cut into pieces when it holds many structs (told) or, not
   * told, many bytes; whole but with the binding held when it is large in bytes only (the editor then
   * builds its view of the text once, as after pieces); otherwise as the provider applies it.
   */
  const wayFor = (update: Uint8Array): 'cut' | 'held' | 'as-is' => {
    const structs = toldStructs;
    toldStructs = undefined;
    if (structs === undefined ? update.length >= PIECES_FROM_BYTES : structs >= PIECES_FROM_STRUCTS) return 'cut';
    return update.length >= PIECES_FROM_BYTES ? 'held' : 'as-is';
  };

  // What y-websocket does with a message it reads: the handler's answer, if any, goes back.
  const handle = (type: number, decoder: decoding.Decoder, emitSynced: boolean) => {
    const encoder = encoding.createEncoder();
    provider.messageHandlers[type](encoder, decoder, provider, emitSynced, type);
    const ws = provider.ws;
    if (encoding.length(encoder) > 1 && provider.wsconnected && ws && ws.readyState === ws.OPEN) ws.send(encoding.toUint8Array(encoder));
  };
  const handleWaiting = () => {
    // A waiting message may be another large copy: the rest then waits for it in turn.
    while (!busy && !destroyed && waiting.length > 0) {
      const { type, decoder, emitSynced } = waiting.shift()!;
      handle(type, decoder, emitSynced);
    }
  };

  /** The server's answer to this client's sync request, as y-websocket's handler would take it: the session counts as synced. */
  const answerSynced = (update: Uint8Array, emitSynced: boolean) => {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2);
    encoding.writeVarUint8Array(encoder, update);
    inner[MESSAGE_SYNC](encoding.createEncoder(), decoding.createDecoder(encoding.toUint8Array(encoder)), provider, emitSynced, MESSAGE_SYNC);
  };
  /** An answer whose connection closed meanwhile: its content still counts, but it no longer says the session is in sync. */
  const applyStale = (update: Uint8Array) => {
    Y.applyUpdate(doc, update, provider);
    options.onPiece?.(update);
  };
  const stillOpen = (connection: WebSocket | null) => provider.ws === connection && provider.wsconnected;

  const applyInPieces = async (update: Uint8Array, way: 'cut' | 'held', connection = provider.ws) => {
    busy = true;
    options.onLarge?.();
    const release = holdBinding(doc);
    try {
      const pieces = way === 'cut' ? await cutOrWhole(options.cut, [update]) : [update];
      const last = pieces.pop()!;
      const applied = await applyPieces(doc, pieces, provider, { budget: new TaskBudget(TASK_BUDGET_MS), onPiece: options.onPiece, stopped: () => destroyed });
      if (!applied) return;
      if (stillOpen(connection)) answerSynced(last, true);
      else applyStale(last);
    } finally {
      release();
      if (!destroyed) {
        busy = false;
        handleWaiting();
      }
    }
  };

  const applyDeflated = async (deflated: Uint8Array, emitSynced: boolean) => {
    const connection = provider.ws;
    busy = true;
    let update: Uint8Array | undefined;
    try {
      update = await (options.inflate ?? inflateRaw)(deflated);
    } catch (error) {
      // Not expected (the server deflates with zlib), but a person must not wait on it for good.
      console.error('the text from the server could not be inflated: asking for it plain', error);
      if (!destroyed && provider.ws === connection) readPlainFromNowOn(provider);
    }
    if (destroyed) return;
    const way = update ? wayFor(update) : 'as-is';
    if (update && way !== 'as-is') return applyInPieces(update, way, connection);
    try {
      if (update && stillOpen(connection)) answerSynced(update, emitSynced);
      else if (update) applyStale(update);
    } finally {
      busy = false;
      handleWaiting();
    }
  };

  provider.messageHandlers.forEach((handler, type) => {
    provider.messageHandlers[type] = (encoder, decoder, p, emitSynced, messageType) => {
      // The provider drops its decoder after this call; the message's bytes stay readable.
      if (busy) return void waiting.push({ type, decoder, emitSynced });
      if (type === MESSAGE_SYNC && emitSynced) {
        const update = syncStep2Held(decoder, wayFor);
        if (update) return void applyInPieces(update.update, update.way);
      }
      handler(encoder, decoder, p, emitSynced, messageType);
    };
  });
  provider.messageHandlers[MESSAGE_TEXT_STRUCTS] = (_encoder, decoder, _provider, emitSynced) => {
    // In turn with the rest: it tells of the answer that comes right after it.
    if (busy) return void waiting.push({ type: MESSAGE_TEXT_STRUCTS, decoder, emitSynced });
    toldStructs = decoding.readVarUint(decoder);
  };
  provider.messageHandlers[MESSAGE_DEFLATED_SYNC_STEP2] = (_encoder, decoder, _provider, emitSynced) => {
    if (busy) return void waiting.push({ type: MESSAGE_DEFLATED_SYNC_STEP2, decoder, emitSynced });
    void applyDeflated(decoding.readVarUint8Array(decoder), emitSynced);
  };

  return {
    get busy() {
      return busy;
    },
    get waiting() {
      return waiting.length;
    },
    destroy() {
      destroyed = true;
      waiting = [];
    },
  };
}

export interface StoredCopyOptions {
  cut: Cutter;
  /** True once the copy's reader is gone (the page left): the rest is not applied. */
  stopped?: () => boolean;
  /** The structs this device last counted in its copy of the text (largeCopyHint.ts), if it did. */
  structs?: number;
}

/**
 * Applies this device's copy of the text (y-indexeddb's records, in the order written) as
 * y-indexeddb does, in one transaction, unless the copy is large: on every return to a long,
 * much-reworded agreement that one transaction froze the page for about a second. Then the
 * binding is held, the records are merged and cut into causal pieces in one go (in the worker),
 * and the pieces applied across tasks. If cutting fails they are applied as before. A large copy
 * of few structs (counted on an earlier visit: a long text written once) is applied whole with the
 * binding held, as a newcomer's is: no worker to start, and the editor builds its view once.
 */
export async function applyStoredInPieces(doc: Y.Doc, records: Uint8Array[], origin: unknown, options: StoredCopyOptions): Promise<void> {
  const applyTogether = (updates: Uint8Array[]) => Y.transact(doc, () => updates.forEach((update) => Y.applyUpdate(doc, update)), origin, false);
  if (records.reduce((bytes, record) => bytes + record.length, 0) < PIECES_FROM_BYTES) return applyTogether(records);
  const release = holdBinding(doc);
  try {
    if (options.structs !== undefined && options.structs < PIECES_FROM_STRUCTS) return applyTogether(records);
    let pieces: Uint8Array[];
    try {
      pieces = await options.cut(records);
    } catch {
      if (!options.stopped?.()) applyTogether(records);
      return;
    }
    await applyPieces(doc, pieces, origin, { budget: new TaskBudget(TASK_BUDGET_MS), stopped: options.stopped });
  } finally {
    release();
  }
}

async function cutOrWhole(cut: Cutter, updates: Uint8Array[]): Promise<Uint8Array[]> {
  try {
    const pieces = await cut(updates);
    return pieces.length > 0 ? pieces : updates;
  } catch {
    return updates;
  }
}

/** Applies `pieces` in order, as many a task as the budget allows; false if stopped first. */
async function applyPieces(
  doc: Y.Doc,
  pieces: Uint8Array[],
  origin: unknown,
  { budget, onPiece, stopped }: { budget: TaskBudget; onPiece?: (piece: Uint8Array) => void; stopped?: () => boolean },
): Promise<boolean> {
  for (const piece of pieces) {
    await budget.turn();
    if (stopped?.()) return false;
    Y.applyUpdate(doc, piece, origin);
    onPiece?.(piece);
  }
  return !stopped?.();
}

/** Work in one task up to `ms`, then the page gets a turn (input, a frame) before the next. */
class TaskBudget {
  private start = performance.now();
  constructor(private readonly ms: number) {}

  async turn(): Promise<void> {
    if (performance.now() - this.start <= this.ms) return;
    await nextTask();
    this.start = performance.now();
  }
}

/** The update of a sync step 2 that `wayFor` says to apply cut or held (then read off the decoder), or null. */
function syncStep2Held(
  decoder: decoding.Decoder,
  wayFor: (update: Uint8Array) => 'cut' | 'held' | 'as-is',
): { update: Uint8Array; way: 'cut' | 'held' } | null {
  const peek = decoding.clone(decoder);
  if (decoding.readVarUint(peek) !== syncProtocol.messageYjsSyncStep2) return null;
  const update = decoding.readVarUint8Array(peek);
  const way = wayFor(update);
  if (way === 'as-is') return null;
  decoder.pos = peek.pos;
  return { update, way };
}

let channel: MessageChannel | null = null;
const resolvers: (() => void)[] = [];

/** A new task, soon: the browser may draw a frame and handle input first (a timer would wait 4 ms or more). */
function nextTask(): Promise<void> {
  if (!channel) {
    channel = new MessageChannel();
    channel.port1.onmessage = () => resolvers.shift()?.();
    // In Node (tests) an open port would keep the process alive.
    (channel.port1 as { unref?: () => void }).unref?.();
  }
  return new Promise((resolve) => {
    resolvers.push(resolve);
    channel!.port2.postMessage(null);
  });
}
