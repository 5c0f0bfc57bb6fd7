import * as Y from 'yjs';

/**
 * A dedicated worker: compacts this device's copy of a text (y-indexeddb's records in IndexedDB)
 * into one record, off the page's main thread (compactInWorker.ts).
 */
interface Request {
  id: number;
  /** The IndexedDB database of the copy (y-indexeddb's name). */
  name: string;
}
interface Scope {
  onmessage: ((event: MessageEvent<Request>) => void) | null;
  postMessage(message: unknown): void;
}
const scope = self as unknown as Scope;
const UPDATES = 'updates';

scope.onmessage = ({ data: { id, name } }) => {
  compact(name).then(
    (records) => scope.postMessage({ id, records }),
    (error: unknown) => scope.postMessage({ id, error: String(error) }),
  );
};

/**
 * Reads every record, applies them to a fresh document and writes its state in their place, in one
 * transaction: the page's writes (and another tab's) queue behind it, so none is lost or read
 * half-written, and a worker stopped mid-way (the page left) leaves the copy as it was. A fresh
 * document drops deleted content, as y-indexeddb's own trim did; parts whose dependencies are not in
 * the copy stay in the state as pending. Resolves with the records read.
 */
function compact(name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(name);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      // Discarding the copy (deleteDB) waits for every connection to close.
      db.onversionchange = () => db.close();
      const transaction = db.transaction(UPDATES, 'readwrite');
      const store = transaction.objectStore(UPDATES);
      const keys = store.getAllKeys();
      const records = store.getAll();
      let read = 0;
      records.onsuccess = () => {
        const updates = records.result as Uint8Array[];
        read = updates.length;
        if (read < 2) return;
        const doc = new Y.Doc();
        Y.transact(doc, () => updates.forEach((update) => Y.applyUpdate(doc, update)));
        store.add(Y.encodeStateAsUpdate(doc));
        store.delete(IDBKeyRange.upperBound(keys.result[keys.result.length - 1]));
        doc.destroy();
      };
      transaction.oncomplete = () => {
        db.close();
        resolve(read);
      };
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => {
        db.close();
        reject(transaction.error ?? new Error('the compaction was aborted'));
      };
    };
  });
}
