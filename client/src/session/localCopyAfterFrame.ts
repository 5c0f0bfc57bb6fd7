import * as Y from 'yjs';
import { PREFERRED_TRIM_SIZE, type IndexeddbPersistence } from 'y-indexeddb';
import { coalesceAfterFrame } from '../ui/afterNextFrame';

/** Waiting updates up to this size are merged into one record; more are written as they are. */
const MERGE_UP_TO_BYTES = 64 * 1024;

/** Compacts the copy's database into one record; resolves with the records it replaced. */
export type Compactor = (name: string) => Promise<number>;

export interface LocalCopyWriter {
  /** Keeps an update the server sent, as it came (its transaction is not encoded again: serverChangesUnencoded.ts). */
  keepServerUpdate(update: Uint8Array): void;
  /** Writes what is waiting now (the page is going away). */
  flush(): void;
  /** Stops writing; what is waiting is dropped (the copy is being discarded or was flushed). */
  destroy(): void;
}

/**
 * y-indexeddb writes each update to IndexedDB inside the Yjs transaction that made it: one
 * IndexedDB transaction in the task of every keystroke, and in the frame that shows each of
 * other people's. This takes that over and writes what came since, merged into one record,
 * just after the next frame (within 100 ms in a hidden tab), and at once when the page is hidden
 * or closed. What the copy holds is unchanged: the records y-indexeddb would write, only later.
 *
 * Once the copy holds as many records as y-indexeddb lets it (500), `compact` merges them into one
 * off the page. y-indexeddb's own trim did it here, after a second without changes: it reapplied
 * every record written since the page opened (the server's copy of the text among them), which on
 * a long, much-reworded agreement held the editor for about a second, then encoded the whole text.
 */
export function writeLocalCopyAfterFrame(persistence: IndexeddbPersistence, doc: Y.Doc, compact: Compactor): LocalCopyWriter {
  const ownHandler = persistence._storeUpdate;
  let waiting: Uint8Array[] = [];
  let compacting = false;
  /** Records written while a compaction runs: some may be after the records it replaces. */
  let writtenMeanwhile = 0;
  /** After a failed compaction (no worker offline), the next try waits for as many records again. */
  let compactFrom = PREFERRED_TRIM_SIZE;
  const compactSoon = () => {
    if (compacting || persistence._dbsize < compactFrom) return;
    compacting = true;
    writtenMeanwhile = 0;
    compact(persistence.name).then(
      () => {
        persistence._dbsize = 1 + writtenMeanwhile;
        compactFrom = PREFERRED_TRIM_SIZE;
        compacting = false;
      },
      // Left as it is: the records stay, each still applied on the next load.
      (error: unknown) => {
        console.warn('the copy on this device was not compacted', error);
        compactFrom = persistence._dbsize + PREFERRED_TRIM_SIZE;
        compacting = false;
      },
    );
  };
  const addRecords = (updates: Uint8Array[]) => {
    // Not open yet: y-indexeddb writes the whole document once it is (its load), as it did.
    if (!persistence.db || persistence._destroyed) return;
    const store = persistence.db.transaction('updates', 'readwrite').objectStore('updates');
    for (const update of updates) store.add(update);
    persistence._dbsize += updates.length;
    if (compacting) writtenMeanwhile += updates.length;
    compactSoon();
  };
  const write = coalesceAfterFrame(() => {
    if (waiting.length === 0) return;
    const updates = waiting;
    waiting = [];
    // A few keystrokes' updates are merged into one record. A long text's copy from the server,
    // applied in a thousand pieces, is written as they are: merging a megabyte here held the
    // page for 150 to 250 ms while the text opened, and the compaction (in a worker) merges them.
    const bytes = updates.reduce((sum, update) => sum + update.length, 0);
    addRecords(updates.length > 1 && bytes <= MERGE_UP_TO_BYTES ? [Y.mergeUpdates(updates)] : updates);
  });
  const keep = (update: Uint8Array) => {
    waiting.push(update);
    write.schedule();
  };
  const onUpdate = (update: Uint8Array, origin: unknown) => {
    // What the copy itself loaded is in it already (y-indexeddb skips its own origin too).
    if (origin !== persistence) keep(update);
  };
  const onHidden = () => {
    if (document.visibilityState === 'hidden') write.flush();
  };
  const onPageHide = () => write.flush();
  doc.off('update', ownHandler);
  doc.on('update', onUpdate);
  document.addEventListener('visibilitychange', onHidden);
  window.addEventListener('pagehide', onPageHide);
  return {
    keepServerUpdate: (update) => keep(ownBuffer(update)),
    flush: write.flush,
    destroy() {
      write.cancel();
      waiting = [];
      doc.off('update', onUpdate);
      document.removeEventListener('visibilitychange', onHidden);
      window.removeEventListener('pagehide', onPageHide);
    },
  };
}

/**
 * The bytes alone: a piece or a message's payload may be a view into a larger buffer, and
 * IndexedDB stores a view's whole buffer.
 */
function ownBuffer(update: Uint8Array): Uint8Array {
  return update.byteOffset === 0 && update.byteLength === update.buffer.byteLength ? update : update.slice();
}
