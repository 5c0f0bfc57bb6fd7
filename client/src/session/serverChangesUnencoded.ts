import type * as Y from 'yjs';

type Listeners = Set<(...args: never[]) => void>;
/** lib0's ObservableV2, which Y.Doc extends: its listeners by event name. */
type ObservedDoc = { _observers: Map<string, Listeners> };

/**
 * Yjs encodes each transaction once more for the document's `update` listeners, whatever they
 * want it for. This page's listeners need the bytes of its own changes only (to send them, to
 * count them until the server has them, to keep them on the device); what the server sent, the
 * device copy keeps as it came. Encoding it again cost a fifth of applying it: 27 ms of the 40-page
 * text's first copy, profiled at CPU 1×, and 127 ms of a text reworded for months.
 *
 * So, for a transaction whose origin `isServer`, the `update` listeners are hidden from Yjs
 * between its last step before the encoding (`afterTransactionCleanup`) and the next
 * transaction's first (`beforeObserverCalls`) or the end of them all. A change this page makes in
 * answer to the server's, in a transaction of its own, is encoded and sent as always (tested in
 * tests/collab/serverChangesUnencoded.test.ts). Relies on lib0's `_observers` map (yjs 13.6).
 */
export function skipEncodingServerChanges(doc: Y.Doc, isServer: (origin: unknown) => boolean): () => void {
  const observers = (doc as unknown as ObservedDoc)._observers;
  let hidden: Listeners | undefined;
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
    hidden = observers.get('update');
    observers.delete('update');
  };
  doc.on('afterTransactionCleanup', hideFor);
  doc.on('beforeObserverCalls', show);
  doc.on('afterAllTransactions', show);
  return () => {
    show();
    doc.off('afterTransactionCleanup', hideFor);
    doc.off('beforeObserverCalls', show);
    doc.off('afterAllTransactions', show);
  };
}
