import * as Y from 'yjs';

/** One change to a shared fragment, kept so that it alone can be taken back. */
export interface TrackedChange {
  /** Takes the change back, leaving what others changed since; run it in a transaction of your own to give it an origin. */
  undo(): void;
  /** Lets go of what taking it back needs (the deleted content kept from garbage collection). */
  forget(): void;
}

/**
 * Runs `change` (one synchronous transaction on the fragment's document) and keeps what taking it back
 * needs: an undo manager tracking exactly that transaction's origin, and nothing after it.
 */
export function trackOneChange(type: Y.XmlFragment, change: () => void): TrackedChange {
  const doc = type.doc;
  if (!doc) throw new Error('trackOneChange: the fragment is not in a document');
  const manager = new Y.UndoManager(type, { trackedOrigins: new Set(), captureTimeout: 0 });
  const trackOrigin = (transaction: Y.Transaction) => manager.trackedOrigins.add(transaction.origin);
  doc.on('beforeTransaction', trackOrigin);
  try {
    change();
  } finally {
    doc.off('beforeTransaction', trackOrigin);
    // From here on nothing is tracked, not even the undo itself.
    manager.trackedOrigins.clear();
  }
  return {
    undo: () => void manager.undo(),
    forget: () => {
      manager.clear();
      manager.destroy();
    },
  };
}
