import * as Y from 'yjs';
import { NewcomerState } from './newcomerState';
import { KeptDeletions } from './keptDeletions';
import { knownStateOf, type KnownState } from './guards/unknownPart';

/**
 * What a room keeps of its whole text, so reading it costs no walk or encoding of all of it on the
 * event loop: the state kept for newcomers and the batches since, the text's whole delete set, and
 * the changes applied but not yet stored.
 */
export class KeptState {
  /** The whole state, encoded once for every newcomer who holds nothing. */
  readonly newcomers: NewcomerState;
  /** The text's whole delete set, made as the room loads (in slices) and kept for returning visitors and the update guard. */
  private deletions: KeptDeletions | undefined;
  /** Changes applied and not yet stored, with the change count each brings the room to ({@link now}). */
  private unstored: { update: Uint8Array; upTo: number }[] = [];

  constructor(private readonly doc: Y.Doc) {
    this.newcomers = new NewcomerState(() => Y.encodeStateVector(doc));
  }

  /** Keeps what the doc was loaded from (`stored`, then `repaired` or not) and its delete set, before anyone listens. */
  async loaded(stored: Uint8Array[], repaired: boolean): Promise<void> {
    const { pendingStructs, pendingDs } = this.doc.store;
    // What was loaded is the whole text, unless the repair changed it or part of it waits for missing history.
    if (!repaired && !pendingStructs && !pendingDs) this.newcomers.loaded(stored);
    // Made now, between yields, so the first returning visitor (or update checked) waits for no walk of every struct.
    this.deletions = await KeptDeletions.inSlices(this.doc);
  }

  /** A change applied, the change count `upTo` brings the room to: not stored yet. */
  changed(update: Uint8Array, upTo: number): void {
    this.unstored.push({ update, upTo });
  }

  /** A batch of changes stored (and relayed to everyone), holding the changes up to `upTo`. */
  stored(merged: Uint8Array, upTo: number): void {
    this.newcomers.relayed(merged, upTo);
    let done = 0;
    while (done < this.unstored.length && this.unstored[done].upTo <= upTo) done++;
    if (done > 0) this.unstored.splice(0, done);
  }

  /** The text's whole delete set, kept as the doc changes. */
  keptDeletions(): KeptDeletions {
    return (this.deletions ??= new KeptDeletions(this.doc));
  }

  /**
   * What the room holds, for the update guard to take from a client's update only what is new to it
   * (unknownPart.ts). Its delete set is the one kept for returning visitors; with changes waiting for
   * missing history, Yjs's encoding (which merges them in), at most once a second.
   */
  knownState(): KnownState {
    const { pendingStructs, pendingDs } = this.doc.store;
    if (pendingStructs || pendingDs) return knownStateOf(this.doc);
    return { stateVector: Y.encodeStateVector(this.doc), deletions: this.keptDeletions().asUpdate() };
  }

  /** The whole text as of change `upTo`, every change of it stored: the kept state and the batches since, or encoded now. */
  parts(upTo: number): Uint8Array[] {
    return this.newcomers.parts(() => Y.encodeStateAsUpdate(this.doc), upTo);
  }

  /**
   * The whole text as it is at this moment, as updates that apply in order, with no encoding: the
   * state kept for newcomers, the batches stored since and the changes not stored yet (some may be in
   * two of them: harmless in Yjs). Undefined when no state is kept (a short text) or changes wait
   * for missing history. Taken in the same synchronous step as a change, it is the text before it.
   */
  now(): Uint8Array[] | undefined {
    const { pendingStructs, pendingDs } = this.doc.store;
    if (pendingStructs || pendingDs) return undefined;
    const kept = this.newcomers.keptParts();
    return kept && [...kept, ...this.unstored.map(({ update }) => update)];
  }

  /**
   * The whole state for a compaction, encoded by `encodeState` from the state kept for newcomers and
   * the batches relayed since: every change stored, none made after (they are stored after the mark the
   * log takes with it). Undefined when there is no worker, no kept state, or changes wait for missing
   * history (the log encodes it at once then).
   */
  encodedAway(encodeState: ((parts: Uint8Array[]) => Promise<Uint8Array>) | undefined): Promise<Uint8Array> | undefined {
    const { pendingStructs, pendingDs } = this.doc.store;
    if (!encodeState || pendingStructs || pendingDs) return undefined;
    const parts = this.newcomers.keptParts();
    return parts && encodeState(parts);
  }

  destroy(): void {
    this.deletions?.destroy();
  }
}
