import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import { collabProtocols } from '#shared/protocol';
import { collabServerUrl } from './openSession';
import { backOffRepeatedCloses } from './repeatedCloses';

const MESSAGE_AUTH = 2;
const PERMISSION_DENIED = 0;

/**
 * A live, read-only copy of a room the server alone writes (records, a caucus). The same object
 * for as long as the room is followed: whether it has synced is read with {@link useRoomSynced},
 * so the many views that only observe the room do not render again when it syncs.
 */
export interface ServerRoom {
  doc: Y.Doc;
  provider: WebsocketProvider;
}

/**
 * Follows a server-written room while mounted (`room` null: nothing). Changes arrive
 * through the room's sync; clients write to it only through the HTTP commands. A copy the server
 * refuses (it holds what the server lost) is replaced by a new one, a new {@link ServerRoom}.
 */
export function useServerRoom(room: string | null, token: string | null): ServerRoom | null {
  const [state, setState] = useState<ServerRoom | null>(null);
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    if (!room || !token) return;
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(collabServerUrl(), room, doc, {
      protocols: collabProtocols(token),
      maxBackoffTime: 5000,
      // Only the server writes here: other tabs have nothing to tell this one.
      disableBc: true,
    });
    backOffRepeatedCloses(provider);
    // Presence belongs to the text room; here it would only be noise.
    provider.awareness.setLocalState(null);
    // Nothing is written here to send: without the provider's listener Yjs no longer encodes every
    // change the server sends once more for it (the records' first copy is 45 KB for 40 pages).
    doc.off('update', provider._updateHandler);
    // The server refuses this copy's answer to its sync only when the copy holds records the server
    // does not (its data was put back from an older backup): shown as it was, the page kept records
    // nobody else sees, for as long as it stayed open. The copy is thrown away and the room followed afresh.
    provider.messageHandlers[MESSAGE_AUTH] = (_encoder, decoder) => {
      if (decoding.readVarUint(decoder) === PERMISSION_DENIED) setGeneration((g) => g + 1);
    };
    setState({ doc, provider });
    return () => {
      provider.destroy();
      doc.destroy();
      setState(null);
    };
  }, [room, token, generation]);
  return state;
}

/** True while the room holds the server's copy (false until its first sync, and again while it reconnects). */
export function useRoomSynced(room: ServerRoom | null): boolean {
  const subscribe = useCallback(
    (changed: () => void) => {
      room?.provider.on('sync', changed);
      return () => room?.provider.off('sync', changed);
    },
    [room],
  );
  return useSyncExternalStore(subscribe, () => room?.provider.synced ?? false);
}

/**
 * True once the room has held the server's copy, and still while it reconnects (the copy is kept). Until then it is empty,
 * which reads as an agreement where nothing was ever recorded: no stances, the first phase.
 */
export function useRoomSyncedOnce(room: ServerRoom | null): boolean {
  const synced = useRoomSynced(room);
  const [once, setOnce] = useState<ServerRoom | null>(null);
  useEffect(() => {
    if (synced && room) setOnce(room);
  }, [synced, room]);
  return room !== null && (synced || once === room);
}
