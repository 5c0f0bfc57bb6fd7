import { useEffect, useState } from 'react';
import type * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import { collabServerUrl } from './openSession';
import { openServerRoom } from './serverRoom';

/** A live, read-only copy of a room the server alone writes (records, a caucus). */
export interface ServerRoom {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** True once the first full state has arrived. */
  synced: boolean;
}

/**
 * Follows a server-written room while mounted (`room` null: nothing). Changes arrive
 * through the room's sync; clients write to it only through the HTTP commands.
 */
export function useServerRoom(room: string | null, token: string | null): ServerRoom | null {
  const [state, setState] = useState<ServerRoom | null>(null);
  useEffect(() => {
    if (!room || !token) return;
    const { doc, provider, destroy } = openServerRoom(room, token, { serverUrl: collabServerUrl() });
    setState({ doc, provider, synced: false });
    const onSync = (synced: boolean) => {
      if (synced) setState({ doc, provider, synced: true });
    };
    provider.on('sync', onSync);
    return () => {
      provider.off('sync', onSync);
      destroy();
      setState(null);
    };
  }, [room, token]);
  return state;
}
