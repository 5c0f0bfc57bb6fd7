import { UPDATE_REFUSED } from '#shared/protocol';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import { MessageType, syncMessage } from '../rooms/messages';
import { checkUpdateCost, measureUpdate, overLimits, type UpdateCost } from '../rooms/guards/updateCost';
import type { KnownState } from '../rooms/guards/unknownPart';
import type { UpdateLimits } from '../rooms/guards/limits';
import { movable, type DocumentWorker } from '../features/snapshots/diff/DocumentWorker';
import type { ConnectionBudget } from './rateLimit';

/** Updates bigger than this are measured in the worker thread: decoding 4 MB of delete set took 0.4 s. */
const MEASURE_IN_WORKER_BYTES = 64 * 1024;

/** Why a connection's message was not let in. */
export type GateRefusal = { kind: 'refused'; reason: string } | { kind: 'overBudget' };

/**
 * Lets one connection's messages into its room in order, after measuring each text update:
 * one over the per-update limits is refused, and the work a connection asks for (structs plus
 * delete ranges) is charged to its budget, so no participant can keep the room busy. Only what
 * is new to the room counts: an update over the limits is cut to the part its room lacks. Big
 * updates are measured in a worker thread while the connection's later messages wait.
 */
export class UpdateGate {
  private readonly queue: Uint8Array[] = [];
  private draining = false;
  private stopped = false;
  /** Waiting for the queue to be let in or dropped (see {@link settled}). */
  private readonly settledWaiters: (() => void)[] = [];

  constructor(
    private readonly limits: UpdateLimits,
    private readonly workBudget: ConnectionBudget,
    private readonly worker: DocumentWorker,
    private readonly deliver: (message: Uint8Array) => void,
    private readonly refuse: (refusal: GateRefusal) => void,
    /** What the connection's room holds now (when it is served here), to limit only what is new to it. */
    private readonly known: () => KnownState | undefined = () => undefined,
  ) {}

  submit(message: Uint8Array): void {
    if (this.stopped) return;
    this.queue.push(message);
    if (!this.draining) this.drain();
  }

  private drain(): void {
    this.draining = true;
    while (this.queue.length > 0 && !this.stopped) {
      const sync = syncUpdateOf(this.queue[0]);
      let cost: UpdateCost | undefined;
      if (sync && sync.update.byteLength <= MEASURE_IN_WORKER_BYTES) {
        try {
          cost = measureUpdate(sync.update);
        } catch {
          cost = undefined; // a malformed update: the room refuses it with the protocol's own error
        }
      }
      // Big updates are measured in the worker; so are answers to the server's sync request over
      // the limits, for the part of them the room lacks: a client that already has the text
      // answers with its whole delete set (Yjs always sends it), 20,000 ranges for 40 pages
      // reworded for months, though the room holds every one of them. (Only answers: a big paste
      // costs no encoding of what the room holds.)
      const answer = sync?.syncType === syncProtocol.messageYjsSyncStep2;
      const known = answer && (!cost || overLimits(cost, this.limits)) ? this.known() : undefined;
      if (sync && (sync.update.byteLength > MEASURE_IN_WORKER_BYTES || (cost && known))) {
        this.measureInWorker(sync, known);
        return; // draining stays set: later messages wait for the worker's answer
      }
      if (!this.letIn(cost)) return;
    }
    this.draining = false;
    this.wakeSettled();
  }

  /**
   * Resolves once every message submitted so far is let in or dropped: what a connection sent
   * before it closed still reaches its room (a big update may be in the worker at the close).
   */
  settled(): Promise<void> {
    if (this.stopped || (!this.draining && this.queue.length === 0)) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  private wakeSettled(): void {
    for (const wake of this.settledWaiters.splice(0)) wake();
  }

  private measureInWorker({ syncType, update }: SyncUpdate, known: KnownState | undefined): void {
    // A message that is the whole of its buffer is moved to the worker rather than copied
    // (4 MB took ~10 ms to copy); the buffer comes back with the answer.
    const message = this.queue[0];
    const { byteOffset, byteLength } = message; // read before the move empties the view
    this.worker.run({ kind: 'cost', update, known, limits: this.limits }, movable(message) ? [message.buffer as ArrayBuffer] : []).then(
      (answer) => {
        if (this.stopped) return;
        this.queue[0] = answer.cut ? syncMessage(syncType, answer.update) : new Uint8Array(answer.update.buffer, byteOffset, byteLength);
        if (this.letIn(answer.cost)) this.drain();
      },
      (err: Error) => this.stop({ kind: 'refused', reason: UPDATE_REFUSED + err.message }),
    );
  }

  /** Charges and delivers the first queued message; false when the connection was refused. */
  private letIn(cost: UpdateCost | undefined): boolean {
    const message = this.queue.shift()!;
    if (cost) {
      try {
        checkUpdateCost(cost, this.limits);
      } catch (err) {
        this.stop({ kind: 'refused', reason: (err as Error).message });
        return false;
      }
      if (!this.workBudget.spend(cost.structs + cost.deleteRanges)) {
        this.stop({ kind: 'overBudget' });
        return false;
      }
    }
    this.deliver(message);
    return !this.stopped;
  }

  /** Drops everything still queued (the connection is closing). */
  stop(refusal?: GateRefusal): void {
    if (this.stopped) return;
    this.stopped = true;
    this.queue.length = 0;
    this.draining = false;
    if (refusal) this.refuse(refusal);
    this.wakeSettled();
  }
}

interface SyncUpdate {
  syncType: number;
  update: Uint8Array;
}

/** The Yjs update a sync message carries (SyncStep2 or Update), or undefined for any other message. */
function syncUpdateOf(message: Uint8Array): SyncUpdate | undefined {
  try {
    const decoder = decoding.createDecoder(message);
    if (decoding.readVarUint(decoder) !== MessageType.Sync) return undefined;
    const syncType = decoding.readVarUint(decoder);
    if (syncType !== syncProtocol.messageYjsSyncStep2 && syncType !== syncProtocol.messageYjsUpdate) return undefined;
    return { syncType, update: decoding.readVarUint8Array(decoder) };
  } catch {
    return undefined;
  }
}
