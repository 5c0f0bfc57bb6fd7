import * as Y from 'yjs';
import type { IndexeddbPersistence } from 'y-indexeddb';
import { coalesceAfterFrame } from '../ui/afterNextFrame';

export interface LocalCopyWriter {
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
 * or closed. What the copy holds is unchanged: y-indexeddb's own handler is only moved later.
 */
export function writeLocalCopyAfterFrame(persistence: IndexeddbPersistence, doc: Y.Doc): LocalCopyWriter {
  const store = persistence._storeUpdate;
  let waiting: Uint8Array[] = [];
  const write = coalesceAfterFrame(() => {
    if (waiting.length === 0) return;
    const update = waiting.length === 1 ? waiting[0] : Y.mergeUpdates(waiting);
    waiting = [];
    store(update, null);
  });
  const onUpdate = (update: Uint8Array, origin: unknown) => {
    // What the copy itself loaded is in it already (y-indexeddb skips its own origin too).
    if (origin === persistence) return;
    waiting.push(update);
    write.schedule();
  };
  const onHidden = () => {
    if (document.visibilityState === 'hidden') write.flush();
  };
  const onPageHide = () => write.flush();
  doc.off('update', store);
  doc.on('update', onUpdate);
  document.addEventListener('visibilitychange', onHidden);
  window.addEventListener('pagehide', onPageHide);
  return {
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
