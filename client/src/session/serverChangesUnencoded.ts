import type * as Y from 'yjs';

type Listeners = Set<(...args: never[]) => void>;
/** lib0's ObservableV2, which Y.Doc extends: its listeners by event name. */
type ObservedDoc = { _observers: Map<string, Listeners> };

export interface ServerChanges {
  /**
   * Bytes the server sent, once applied: handed to `keep` if they changed the document or wait in it
   * for a missing dependency (an echo of this page's own update, or a reconnect's whole delete set,
   * changes nothing and is not kept).
   */
  applied(update: Uint8Array): void;
  stop(): void;
}

/**
 * Yjs encodes each transaction once more for the document's `update` listeners, whatever they
 * want it for. This page's listeners need the bytes of its own changes only (to send them, to
 * count them until the server has them, to keep them on the device); what the server sent, the
 * device copy keeps as it came (`keep`). Encoding it again cost a fifth of applying it: 27 ms of the
 * 40-page text's first copy, profiled at CPU 1×, and 127 ms of a text reworded for months.
 *
 * So, for a transaction whose origin `isServer`, the `update` listeners are hidden from Yjs
 * between its last step before the encoding (`afterTransactionCleanup`) and the next
 * transaction's first (`beforeObserverCalls`) or the end of them all. A change this page makes in
 * answer to the server's, in a transaction of its own, is encoded and sent as always. The server's
 * bytes reach `keep` only when their transaction changed something, as Yjs would have emitted
 * them (tests/collab/serverChangesUnencoded.test.ts). Relies on lib0's `_observers` map (yjs 13.6).
 */
export function skipEncodingServerChanges(doc: Y.Doc, isServer: (origin: unknown) => boolean, keep: (update: Uint8Array) => void): ServerChanges {
  const observers = (doc as unknown as ObservedDoc)._observers;
  let hidden: Listeners | undefined;
  /** Bytes applied inside a server transaction still open (several messages applied in one frame). */
  let withinTransaction: Uint8Array[] = [];
  /** Whether the last server transaction, already closed, changed the document. */
  let lastChanged = false;
  const show = () => {
    if (!hidden) return;
    // A listener added meanwhile (none is expected) joins the others.
    for (const listener of observers.get('update') ?? []) hidden.add(listener);
    observers.set('update', hidden);
    hidden = undefined;
  };
  const hideFor = (transaction: Y.Transaction) => {
    show();
    if (!isServer(transaction.origin)) return;
    lastChanged = changedAnything(transaction) || holdsPending(doc);
    const applied = withinTransaction;
    withinTransaction = [];
    if (lastChanged) applied.forEach(keep);
    hidden = observers.get('update');
    observers.delete('update');
  };
  doc.on('afterTransactionCleanup', hideFor);
  doc.on('beforeObserverCalls', show);
  doc.on('afterAllTransactions', show);
  return {
    applied(update) {
      // Told inside the transaction that applies it (a frame's batch): decided when it closes.
      if (doc._transaction !== null && isServer(doc._transaction.origin)) withinTransaction.push(update);
      // Told after its own transaction closed: decided by that one.
      else if (lastChanged) keep(update);
    },
    stop() {
      show();
      doc.off('afterTransactionCleanup', hideFor);
      doc.off('beforeObserverCalls', show);
      doc.off('afterAllTransactions', show);
    },
  };
}

/**
 * Bytes Yjs could not apply yet (their dependencies missing) wait in the store, and the transaction
 * that later completes them emits them in its own encoding, not in the bytes that completed them:
 * kept as they came they are needed, or the device copy would lack them.
 */
function holdsPending(doc: Y.Doc): boolean {
  return doc.store.pendingStructs !== null || doc.store.pendingDs !== null;
}

/** What Yjs checks before emitting `update`: new structs, or deletions. */
function changedAnything(transaction: Y.Transaction): boolean {
  if (transaction.deleteSet.clients.size > 0) return true;
  for (const [client, clock] of transaction.afterState) if (transaction.beforeState.get(client) !== clock) return true;
  return false;
}
