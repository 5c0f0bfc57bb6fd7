import type { IndexeddbPersistence } from 'y-indexeddb';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { MAX_NAMED_DELETION_RUNS, MAX_NAMED_WRITERS } from '#shared/protocol';
import { writerDeletionsMessage, writerIdsMessage } from '#shared/writerIds';
import { decodeDeleteSet, encodeDeleteSet, isEmptyDeleteSet, newestRuns, type DeleteSet } from '#shared/deleteSets';

/** Where the ids are kept (as JSON): the device copy's own database (y-indexeddb's `custom` store), so discarding the copy forgets them too. */
const WRITER_IDS_KEY = 'writerIds';
/** Where what this device deleted is kept (a Yjs delete set's bytes), beside the ids. */
const DELETIONS_KEY = 'writerDeletions';
/** Deletions are written to the device at most this often, after a deletion: never on the keystroke. */
const STORE_DELETIONS_AFTER_MS = 2000;

export interface WriterIds {
  stop(): void;
}

/**
 * Keeps the Yjs client ids this device wrote the text with beside its copy (each page load writes
 * with a new one), and names them to the server on each connection, and once read from the device (MESSAGE_WRITER_IDS). A
 * page's sync answer holds its unsent edits and also others' words the server lost (a backup put
 * back, a power cut); the server credits an id it does not know only to the person who names it,
 * so words written before a reload are still this person's, and nobody else's are. Deletions carry
 * no id: what this device deleted is kept and named the same way (MESSAGE_WRITER_DELETIONS).
 */
export function nameWriterIds(doc: Y.Doc, persistence: IndexeddbPersistence, provider: WebsocketProvider): WriterIds {
  /** Oldest first; the newest {@link MAX_NAMED_WRITERS} are kept. */
  let ids: number[] = [];
  const loaded = persistence.get(WRITER_IDS_KEY).then(
    (stored: unknown) => {
      const kept = readIds(stored);
      ids = [...kept.filter((id) => !ids.includes(id)), ...ids].slice(-MAX_NAMED_WRITERS);
    },
    // No IndexedDB (a private window): only this page's ids are named.
    () => undefined,
  );
  /** This device's deletions: those read from it, then each deleting edit's, merged when asked. */
  let deletions: DeleteSet[] = [];
  let storeTimer: ReturnType<typeof setTimeout> | undefined;
  const loadedDeletions = persistence.get(DELETIONS_KEY).then(
    (stored: unknown) => {
      if (stored instanceof ArrayBuffer) deletions.unshift(readDeletions(new Uint8Array(stored)));
    },
    () => undefined,
  );
  const allDeletions = (): DeleteSet => {
    deletions = [newestRuns(Y.mergeDeleteSets(deletions), MAX_NAMED_DELETION_RUNS)];
    return deletions[0];
  };
  const storeDeletions = () => {
    storeTimer = undefined;
    void loadedDeletions.then(() => persistence.set(DELETIONS_KEY, encodeDeleteSet(allDeletions()).slice().buffer)).catch(() => undefined);
  };
  const send = (message: Uint8Array) => {
    const ws = provider.ws;
    if (provider.wsconnected && ws && ws.readyState === ws.OPEN) ws.send(message);
  };
  const sendDeletions = () => {
    const all = allDeletions();
    if (!isEmptyDeleteSet(all)) send(writerDeletionsMessage(all));
  };
  const remember = (id: number) => {
    if (ids.includes(id)) return;
    ids = [...ids, id].slice(-MAX_NAMED_WRITERS);
    // After the stored list is read, or this write would replace it.
    void loaded.then(() => persistence.set(WRITER_IDS_KEY, JSON.stringify(ids))).catch(() => undefined);
    send(writerIdsMessage([id]));
  };
  const onTransaction = (tr: Y.Transaction) => {
    // Only this page's own edits: what the server or the device copy applied is not `local`.
    if (!tr.local) return;
    const id = doc.clientID;
    if ((tr.afterState.get(id) ?? 0) > (tr.beforeState.get(id) ?? 0)) remember(id);
    if (tr.deleteSet.clients.size > 0) {
      // Kept as they come; merged only when stored or named.
      deletions.push(tr.deleteSet);
      storeTimer ??= setTimeout(storeDeletions, STORE_DELETIONS_AFTER_MS);
    }
  };
  // 'connected' is told before the provider's own first message: the naming goes ahead of its sync answer.
  const onStatus = ({ status }: { status: string }) => {
    if (status !== 'connected') return;
    send(writerIdsMessage([...ids.filter((id) => id !== doc.clientID), doc.clientID]));
    sendDeletions();
  };
  doc.on('afterTransaction', onTransaction);
  provider.on('status', onStatus);
  // The connection does not wait for the ids kept on the device (the text's socket opens first thing
  // on a cold load): read later, they are named then, and the server credits their words on naming.
  void loaded.then(() => {
    if (ids.length > 0) send(writerIdsMessage(ids));
  });
  void loadedDeletions.then(sendDeletions);
  return {
    stop() {
      doc.off('afterTransaction', onTransaction);
      provider.off('status', onStatus);
      if (storeTimer !== undefined) {
        clearTimeout(storeTimer);
        storeDeletions();
      }
    },
  };
}

/** The deletions kept on the device; a damaged value is none. */
function readDeletions(stored: Uint8Array): DeleteSet {
  try {
    return decodeDeleteSet(stored);
  } catch {
    return Y.createDeleteSet();
  }
}

/** The ids kept as JSON; anything else (nothing kept yet, a damaged value) is none. */
function readIds(stored: unknown): number[] {
  try {
    const parsed: unknown = typeof stored === 'string' ? JSON.parse(stored) : [];
    return Array.isArray(parsed) ? parsed.filter((id): id is number => Number.isSafeInteger(id) && id >= 0) : [];
  } catch {
    return [];
  }
}
