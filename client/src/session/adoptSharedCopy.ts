import type { IndexeddbPersistence } from 'y-indexeddb';

/**
 * Takes over the copy of a text this device kept for everyone before copies were per person
 * (deviceCopyName.ts), once, when someone next opens that agreement here: its records join this
 * person's copy, are applied to the text (so what it held unsent is sent, as it was when anyone
 * opened that copy), and it is removed. Added to this person's copy before the shared one goes, so a
 * page closed in between loses nothing; a copy no page can read is left as it is.
 */
export async function adoptSharedCopy(sharedName: string, persistence: IndexeddbPersistence, apply: (records: Uint8Array[]) => Promise<void>): Promise<void> {
  const records = await recordsIfPresent(sharedName);
  if (records === null) return;
  await persistence.whenSynced;
  const db = persistence.db;
  if (persistence._destroyed || !db) return;
  if (records.length > 0) {
    // As they are: a long copy is cut and applied in pieces by `apply`, and compacted with the rest later.
    await addRecords(db, records);
    persistence._dbsize += records.length;
    // As the copy's own records (its origin): in the copy already, and sent to the server like them.
    await apply(records);
  }
  await settled(indexedDB.deleteDatabase(sharedName));
}

/** The records of y-indexeddb's database `name`, or null when there is none (it is not created). */
function recordsIfPresent(name: string): Promise<Uint8Array[] | null> {
  return new Promise((done, fail) => {
    const open = indexedDB.open(name);
    let absent = false;
    open.onupgradeneeded = () => {
      absent = true;
      open.transaction?.abort();
    };
    open.onerror = () => (absent ? done(null) : fail(open.error));
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('updates')) {
        db.close();
        done([]);
        return;
      }
      const read = db.transaction('updates').objectStore('updates').getAll();
      read.onsuccess = () => {
        db.close();
        done(read.result as Uint8Array[]);
      };
      read.onerror = () => {
        db.close();
        fail(read.error);
      };
    };
  });
}

function addRecords(db: IDBDatabase, records: Uint8Array[]): Promise<void> {
  return new Promise((done, fail) => {
    const write = db.transaction('updates', 'readwrite');
    const store = write.objectStore('updates');
    for (const record of records) store.add(record);
    write.oncomplete = () => done();
    write.onerror = () => fail(write.error);
    write.onabort = () => fail(write.error);
  });
}

/** Resolves once the request is done; a deletion blocked by an older page still open completes when it closes. */
function settled(request: IDBOpenDBRequest): Promise<void> {
  return new Promise((done, fail) => {
    request.onsuccess = () => done();
    request.onerror = () => fail(request.error);
  });
}
